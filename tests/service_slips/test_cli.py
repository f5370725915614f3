"""`flask slips list | pdf | verify`: the register and reprints for the back office."""
import subprocess

from sqlalchemy import text

from app.extensions import db


def run(app, *args):
    return app.test_cli_runner().invoke(args=["slips", *args])


def test_list_prints_one_line_per_slip(app, shop):
    result = run(app, "list")
    (line,) = result.output.splitlines()
    serial, signed, branch, amount, status = line.split("\t")
    assert serial.startswith("CD-") and (branch, amount, status) == ("城东分公司", "¥30.00", "已签署")
    assert run(app, "list", "--branch", "CX").output == ""


def test_pdf_writes_the_three_copies_to_a_file(app, shop, tmp_path):
    serial = run(app, "list").output.split("\t")[0]
    out = tmp_path / "reprint.pdf"
    result = run(app, "pdf", serial, "--out", str(out))
    assert result.exit_code == 0, result.output
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           3" in info


def test_pdf_of_an_unknown_serial_says_so(app, shop, tmp_path):
    result = run(app, "pdf", "CD-1999-000001", "--out", str(tmp_path / "x.pdf"))
    assert result.exit_code != 0 and "找不到服务单 CD-1999-000001" in result.output


def test_verify_finds_a_slip_changed_behind_the_services(app, shop):
    assert run(app, "verify").exit_code == 0
    with app.app_context():
        db.session.execute(text("UPDATE service_slips SET total_fen = total_fen + 100"))
        db.session.commit()
    result = run(app, "verify")
    assert result.exit_code == 1 and "内容与签名时不一致" in result.output
