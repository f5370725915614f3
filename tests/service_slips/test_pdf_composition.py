"""The composed slip (laid out once, drawn under each copy's label; the Chinese face without its empty glyph
slots) prints exactly as the slip laid out page by page: the same pixels on every page as three
independent PDF engines draw it (poppler, MuPDF, Ghostscript), the same text, in fewer bytes."""
import subprocess

import pytest
from PIL import Image, ImageChops

from app.service_slips.pdf import render_slip
from tests.service_slips.documents import crowded_document, sample_document

ENGINES = {
    "poppler": lambda pdf, out: ["pdftoppm", "-r", "72", "-png", str(pdf), str(out / "page")],
    "mupdf": lambda pdf, out: ["mutool", "draw", "-q", "-r", "72", "-o", str(out / "page-%d.png"), str(pdf)],
    "ghostscript": lambda pdf, out: ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=png16m", "-r72",
                                     f"-sOutputFile={out / 'page-%d.png'}", str(pdf)],
}
DOCUMENTS = {
    "paid": sample_document,
    "crowded": crowded_document,
    "voided": lambda: sample_document(status="voided", void_reason="金额录入错误", replaced_by="CD-2026-000140"),
}


def pages(engine, pdf_bytes, folder):
    folder.mkdir()
    path = folder / "slip.pdf"
    path.write_bytes(pdf_bytes)
    subprocess.run(ENGINES[engine](path, folder), check=True, capture_output=True)
    return [Image.open(image).convert("RGB") for image in sorted(folder.glob("page*.png"))]


def text_of(pdf_bytes, path):
    path.write_bytes(pdf_bytes)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


@pytest.mark.parametrize("kind", DOCUMENTS)
@pytest.mark.parametrize("engine", ENGINES)
def test_every_page_prints_exactly_as_when_laid_out_alone(app, tmp_path, kind, engine):
    document = DOCUMENTS[kind]()
    with app.app_context():
        composed, alone = render_slip(document), render_slip(document, composed=False)
    printed, expected = pages(engine, composed, tmp_path / "composed"), pages(engine, alone, tmp_path / "alone")
    assert len(printed) == len(expected) == 3
    for number, (page, reference) in enumerate(zip(printed, expected, strict=True), 1):
        assert ImageChops.difference(page, reference).getbbox() is None, f"{kind}, page {number}, {engine}"


def test_the_same_text_with_the_slip_stored_once_within_100_kb(app, tmp_path):
    with app.app_context():
        composed, alone = render_slip(sample_document()), render_slip(sample_document(), composed=False)
    assert text_of(composed, tmp_path / "a.pdf") == text_of(alone, tmp_path / "b.pdf")
    # Three pages drawing one stream: the two copies' worth of drawing (some 5 KB each, compressed) saved.
    assert len(composed) + 8 * 1024 < len(alone) and len(composed) <= 100 * 1024


def test_the_chinese_face_is_a_bare_cid_keyed_cff_of_the_glyphs_used(app, tmp_path):
    with app.app_context():
        pdf = render_slip(sample_document())
    (tmp_path / "slip.pdf").write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "slip.pdf")], check=True, capture_output=True,
                           text=True).stdout
    chinese = next(line for line in fonts.splitlines() if "Noto-Sans-CJK-SC" in line)
    assert "CID Type 0C " in chinese and "(OT)" not in chinese and chinese.split()[-4:-2] == ["yes", "yes"]


def test_one_copy_alone_is_composed_too(app, tmp_path):
    with app.app_context():
        composed = render_slip(sample_document(), copies=("branch",))
        alone = render_slip(sample_document(), copies=("branch",), composed=False)
    printed, expected = pages("poppler", composed, tmp_path / "a"), pages("poppler", alone, tmp_path / "b")
    assert len(printed) == 1 and ImageChops.difference(printed[0], expected[0]).getbbox() is None


def test_a_slip_longer_than_a_page_is_laid_out_page_by_page(app, tmp_path):
    """Composing needs the slip on one page; one that runs over (never seen: a slip holds 12 lines) is
    printed the plain way, every copy in full, rather than losing its second page."""
    from app.price_list.money import in_capitals
    from tests.service_slips.documents import line, paid_content

    lines = [line(f"材料{n:02d}号 加长型号名称", f"DN{15 + n}", "米", 1000 + n, code=f"CL-{n:02d}", category="material")
             for n in range(60)]
    total = sum(item["amount_fen"] for item in lines)
    document = sample_document(content=paid_content(lines=lines, total_fen=total, total_in_capitals=in_capitals(total),
                                                    payment={"method": "cash", "collected_fen": total}))
    with app.app_context():
        printed, alone = render_slip(document), render_slip(document, composed=False)
    assert text_of(printed, tmp_path / "a.pdf") == text_of(alone, tmp_path / "b.pdf")
    assert text_of(printed, tmp_path / "a.pdf").count("材料59号") == 3  # each copy has its second page
