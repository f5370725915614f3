"""At the desk with a scan gun (or a keyboard): serial, Enter, the answer, and the field ready for the next."""
from pathlib import Path

from playwright.sync_api import expect

from tests.conftest import open_desk
from tests.reconciliation.conftest import beijing, days_ago

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_the_back_office_registers_returned_copies_by_typing_serials(live_server, browser, committed):
    world = committed(lambda office: [office.slip(signed_at=beijing(days_ago(20), "09:00")).serial,
                                      office.slip().serial])
    overdue, recent = world.made
    desk = open_desk(browser, live_server, "recon-backoffice")
    desk.goto(f"{live_server}/reconciliation/copies")
    expect(desk.locator(".recon-overdue")).to_contain_text(overdue)
    expect(desk.locator(".recon-overdue")).to_contain_text("超期 5 天")
    field = desk.get_by_label("服务单号")
    expect(field).to_be_focused()

    field.fill(overdue.lower().replace("-00000", "-"))  # as typed in a hurry: cd-2026-1
    field.press("Enter")
    expect(desk.locator(".flash--success")).to_contain_text(f"已登记 {overdue} 第三联交回")
    expect(desk.locator(".recon-overdue")).to_contain_text("没有超期未交的第三联")
    desk.get_by_label("服务单号").fill(recent)
    desk.get_by_label("服务单号").press("Enter")
    expect(desk.locator(".flash--success")).to_contain_text(f"已登记 {recent}")
    expect(desk.get_by_label("服务单号")).to_be_focused()
    ARTIFACTS.mkdir(exist_ok=True)
    desk.screenshot(path=str(ARTIFACTS / "reconciliation-copies-registered.png"), full_page=True)

    desk.get_by_label("服务单号").fill(overdue)
    desk.get_by_label("服务单号").press("Enter")
    expect(desk.locator("#copy-error")).to_contain_text("已于")
    expect(desk.get_by_label("服务单号")).to_have_value("")  # ready for the next scan
    expect(desk.get_by_label("服务单号")).to_be_focused()
    desk.screenshot(path=str(ARTIFACTS / "reconciliation-copies-twice.png"), full_page=True)
    refusal = "status of 409"  # the refused registration is answered 409, which Chromium logs
    assert [problem for problem in desk.problems if refusal not in problem] == []
