"""The printed slip (客户服务单 一式三联), read back with poppler and zbar as a person or a phone would."""
import subprocess

import pytest

from app.service_slips.pdf import MemoryFetcher, render_slip
from tests.service_slips.documents import VERIFY_URL, crowded_document, free_content, sample_document

LARGEST_PDF = 250 * 1024  # the acceptance bar


def run(*command):
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def saved(pdf, tmp_path, name="slip.pdf"):
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def page_texts(pdf, tmp_path):
    """The text of each page, in order (pdftotext ends every page with a form feed)."""
    return run("pdftotext", str(saved(pdf, tmp_path)), "-").split("\f")[:-1]


def render(app, document, **kwargs):
    with app.app_context():
        return render_slip(document, **kwargs)


@pytest.fixture(scope="module")
def slip_pdf(app):
    return render(app, sample_document())


def test_three_copies_each_name_their_copy_and_carry_the_same_serial_and_total(slip_pdf, tmp_path):
    pages = page_texts(slip_pdf, tmp_path)

    assert len(pages) == 3
    labels = [("第一联", "客户联"), ("第二联", "分公司联"), ("第三联", "客服部联")]
    for text, (number, name) in zip(pages, labels, strict=True):
        assert number in text and name in text
        assert "No. CD-2026-000137" in text
        assert "¥48.75" in text and "肆拾捌元柒角伍分" in text
    assert "客户联" not in pages[1] + pages[2]


def test_the_customers_copy_alone_is_one_page(app, tmp_path):
    pages = page_texts(render(app, sample_document(), copies=("customer",)), tmp_path)

    assert len(pages) == 1
    assert "客户联" in pages[0] and "分公司联" not in pages[0]


def test_unknown_copy_is_refused(app):
    with pytest.raises(ValueError, match="unknown copies"):
        render(app, sample_document(), copies=("customer", "archive"))


def test_slip_shows_the_visit_in_beijing_time_and_words(slip_pdf, tmp_path):
    text = page_texts(slip_pdf, tmp_path)[0]

    assert "签字时间 2026-11-25 14:30" in text  # signed 06:30:05Z
    assert "2026-11-25 09:12" in text and "2026-11-25 13:40" in text
    assert "有偿服务" in text and "客户产权(户内)" in text
    assert "PP-R 热水管 DN20" in text and "1.5 米" in text and "¥12.50" in text and "¥18.75" in text
    assert "自备" in text and "公司提供" in text
    assert "微信支付" in text and "满意" in text and "师傅很专业" in text
    assert sample_document().content_sha256 in text
    assert "扫码验证真伪并评价" in text and "968111" in text


def test_each_reading_says_when_it_was_measured_and_whether_it_met_the_standard_then(slip_pdf, tmp_path):
    text = page_texts(slip_pdf, tmp_path)[0]

    assert "卧室 18.5 °C(14:20 测,达标,标准 18 °C)" in text
    assert "客厅 17.2 °C(14:25 测,未达标,低于 18 °C)" in text
    assert "结论:室温未达标" in text


def test_a_night_reading_is_judged_by_the_night_standard(app, tmp_path):
    night = {"readings": [{"room": "bedroom", "tenths": 165, "measured_at": "2026-11-25T14:30:00Z",
                           "minimum_tenths": 160}]}  # 22:30 in Beijing
    text = page_texts(render(app, sample_document(content=night), copies=("customer",)), tmp_path)[0]

    assert "卧室 16.5 °C(22:30 测,达标,标准 16 °C)" in text and "结论:室温达标" in text


def test_a_slip_signed_before_readings_carried_times_prints_against_18_degrees(app, tmp_path):
    old = {"v": 1, "readings": [{"room": "living_room", "tenths": 172}]}
    old_document = sample_document(content=old)
    del old_document.content["after_sales"]
    text = page_texts(render(app, old_document, copies=("customer",)), tmp_path)[0]

    assert "客厅 17.2 °C(未达标,低于 18 °C)" in text and "售后服务" not in text


def test_after_sales_terms_are_printed_above_the_customers_signature(slip_pdf, tmp_path):
    text = page_texts(slip_pdf, tmp_path)[0]

    terms = text.index("售后服务")
    assert "1. PP-R 热水管:保修 6 个月,管材及接口质量问题免费返修" in text
    assert "2. 基本人工费:保修 3 个月,同一部位同一故障免费返修" in text
    assert terms < text.index("客户签名")


def test_cjk_font_is_embedded_as_a_subset_and_no_font_whole(slip_pdf, tmp_path):
    rows = run("pdffonts", str(saved(slip_pdf, tmp_path))).splitlines()[2:]
    fonts = {row.split()[0].split("+")[-1]: row.split()[-5:-3] for row in rows}

    assert fonts["Noto-Sans-CJK-SC"] == ["yes", "yes"]
    assert all(embedded_and_subset == ["yes", "yes"] for embedded_and_subset in fonts.values()), fonts
    assert not [name for name in fonts if "CJK" in name and name != "Noto-Sans-CJK-SC"], fonts


def test_each_copy_carries_both_signatures_and_the_qr_code(slip_pdf, tmp_path):
    rows = run("pdfimages", "-list", str(saved(slip_pdf, tmp_path))).splitlines()[2:]
    per_page = [sum(1 for row in rows if row.split()[0] == str(page)) for page in (1, 2, 3)]

    assert per_page == [3, 3, 3]


def test_qr_code_decodes_to_the_verification_link_on_every_copy(slip_pdf, tmp_path):
    path = saved(slip_pdf, tmp_path)
    for page in (1, 2, 3):
        image = tmp_path / f"page{page}"
        run("pdftoppm", "-r", "150", "-png", "-singlefile", "-f", str(page), "-l", str(page), str(path), str(image))

        assert run("zbarimg", "--raw", "-q", f"{image}.png").strip() == VERIFY_URL


def test_voided_slip_says_so_with_the_reason_and_its_replacement(app, tmp_path):
    document = sample_document(status="voided", void_reason="金额录入错误", replaced_by="CD-2026-000140")

    for text in page_texts(render(app, document), tmp_path):
        assert "已作废" in text
        assert "作废原因:金额录入错误" in text
        assert "CD-2026-000140" in text


def test_correction_names_the_slip_it_replaces(app, tmp_path):
    document = sample_document(content={"replaces": "CD-2026-000136"})

    text = page_texts(render(app, document, copies=("customer",)), tmp_path)[0]

    assert "更正单,替代 CD-2026-000136" in text


def test_free_repair_shows_free_of_charge_instead_of_lines(app, tmp_path):
    document = sample_document(content=free_content())

    text = page_texts(render(app, document, copies=("customer",)), tmp_path)[0]

    assert "免费维修(公司产权范围)" in text
    assert "¥0.00" in text and "零元整" in text and "无需付费" in text
    assert "单价" not in text


def test_a_crowded_slip_still_fits_one_page_per_copy_within_the_size_bar(app, tmp_path):
    pdf = render(app, crowded_document())

    assert len(page_texts(pdf, tmp_path)) == 3
    assert len(pdf) <= LARGEST_PDF


def test_slip_with_two_signatures_stays_within_the_size_bar(slip_pdf):
    assert len(slip_pdf) <= LARGEST_PDF


def test_customer_text_is_printed_not_fetched(app, tmp_path):
    comment = '<img src="http://10.0.0.1/track.png"> 好'
    document = sample_document(content={"feedback": {"satisfaction": "fair", "comment": comment}})

    text = page_texts(render(app, document, copies=("customer",)), tmp_path)[0]

    assert '<img src="http://10.0.0.1/track.png"> 好' in text


@pytest.mark.parametrize("url", ["http://10.0.0.1/x.png", "https://example.cn/", "file:///etc/passwd",
                                 "data:image/png;base64,iVBORw0KGgo=", "memory:other"])
def test_the_renderer_fetches_nothing_but_the_slips_own_images(url):
    with pytest.raises(ValueError):
        MemoryFetcher({"qr": b"png"}).fetch(url)


def test_each_copy_shows_the_complaint_number_beside_the_hotline(slip_pdf, tmp_path):
    """000 九.八: the customer is shown the service number and the number to complain to."""
    for text in page_texts(slip_pdf, tmp_path):
        flat = " ".join(text.split())
        assert "服务热线 968111 · 投诉电话 968111 转 9" in flat
