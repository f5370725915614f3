"""The back office's queue at the desk: what each row tells, filters that stick, and the forms."""
import re
from datetime import timedelta

from app.callbacks.models import Callback
from app.extensions import db
from app.service_slips.models import Slip, SlipRating
from app.work_orders.models import WorkOrder


def _row(page, number):
    return re.search(rf'<tr class="callback[^"]*">(?:(?!</tr>).)*{number}(?:(?!</tr>).)*</tr>', page, re.S).group(0)


def test_each_row_tells_who_to_call_and_how_the_window_stands(client, desk):
    late = desk.pending("repair", overdue_by=timedelta(hours=3, minutes=2))
    waiting = desk.pending("paid_service", waits_for=timedelta(hours=2))
    page = desk.as_(client, "back_office").get("/callbacks").get_data(as_text=True)
    row = _row(page, late.number)
    assert "callback--overdue" in row and "已超时 3 小时 2 分钟" in row
    assert 'href="tel:13592050076"' in row and "罗德明" in row and "春华里" in row
    assert "报修" in row and "张建军" in row and "完工" in row
    assert re.search(r"(\d\d-\d\d )?\d\d:\d\d 后可回访", _row(page, waiting.number))
    assert page.index(late.number) < page.index(waiting.number)  # by due time
    assert "已超时 1" in page  # the tab says how many are late


def test_the_customers_own_rating_is_shown_and_an_unsolved_one_flagged(app, client, desk):
    ids = desk.pending()
    with app.app_context():
        order = db.session.get(WorkOrder, ids.order)
        slip = Slip(serial="CD-2026-000001", work_order_id=order.id, visit_id=1, branch_id=order.branch_id,
                    technician_id=order.technician_id, charged=False, total_fen=0, payment_method="none",
                    collected_fen=0, satisfaction="satisfied", comment="", signed_at=order.done_at, content="{}",
                    content_sha256="0" * 64, verify_token="t" * 22)
        rating = SlipRating(slip=slip, satisfaction="dissatisfied", comment="卧室还是不热", solved=False)
        db.session.add_all([slip, rating])
        db.session.flush()
        db.session.get(Callback, ids.callback).slip_rating_id = rating.id
        db.session.commit()
    row = _row(desk.as_(client, "back_office").get("/callbacks").get_data(as_text=True), ids.number)
    assert "客户扫码反映未解决" in row and "不满意" in row and "卧室还是不热" in row


def test_filters_stick_until_cleared(client, desk):
    late, fine = desk.pending(overdue_by=timedelta(hours=1)), desk.pending()
    desk.as_(client, "back_office").get("/callbacks?filtered=1&overdue=1")
    page = client.get("/callbacks").get_data(as_text=True)
    assert late.number in page and fine.number not in page
    page = client.get(f"/callbacks?filtered=1&branch_id={desk.branch + 1}").get_data(as_text=True)
    assert late.number not in page and "没有待回访的工单" in page
    page = client.get("/callbacks?clear=1").get_data(as_text=True)
    assert late.number in page and fine.number in page


def test_the_dispatcher_reads_but_does_not_answer(client, desk):
    ids = desk.pending()
    page = desk.as_(client, "dispatcher").get(f"/callbacks/{ids.callback}").get_data(as_text=True)
    assert "罗德明" in page and "保存回访结果" not in page and "回访由客服部记录" in page


def test_an_answer_without_a_choice_comes_back_422_with_the_reason_and_nothing_kept(app, client, desk):
    ids = desk.pending()
    refused = desk.as_(client, "back_office").post(f"/callbacks/{ids.callback}/answer",
                                                   data={"satisfaction": "fair", "comment": "还行"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "请选择问题是否已解决" in page and "还行" in page
    with app.app_context():
        assert db.session.get(Callback, ids.callback).status == "pending"
        assert db.session.get(WorkOrder, ids.order).status == "done"


def test_an_answer_on_the_page_goes_back_to_the_queue_with_what_happened(app, client, desk):
    ids = desk.pending()
    done = desk.as_(client, "back_office").post(f"/callbacks/{ids.callback}/answer", data={
        "solved": "no", "satisfaction": "dissatisfied", "comment": "卫生间暖气片还是凉的"}, follow_redirects=True)
    page = done.get_data(as_text=True)
    assert "问题未解决,工单已退回调度重新派单" in page and ids.number not in _pending_table(page)
    order_page = client.get(f"/work-orders/{ids.order}").get_data(as_text=True)
    assert "回访未解决,重新派单" in order_page and "卫生间暖气片还是凉的" in order_page


def test_not_reached_on_the_page_shows_on_the_row(client, desk):
    ids = desk.pending()
    desk.as_(client, "back_office").post(f"/callbacks/{ids.callback}/attempts",
                                         data={"note": "占线", "retry_at": "2030-01-07T10:00"})
    row = _row(client.get("/callbacks").get_data(as_text=True), ids.number)
    assert "未接通 1 次,约 01-07 10:00 再拨" in row


def test_a_called_back_order_is_closed_from_the_answered_list(app, client, desk):
    ids = desk.pending()
    desk.as_(client, "back_office").post(f"/callbacks/{ids.callback}/answer",
                                         data={"solved": "yes", "satisfaction": "satisfied"})
    answered = client.get("/callbacks?view=answered").get_data(as_text=True)
    assert ids.number in answered and "关闭工单" in answered and "电话回访" in answered
    client.post(f"/callbacks/{ids.callback}/close")
    with app.app_context():
        assert db.session.get(WorkOrder, ids.order).status == "closed"


def _pending_table(page):
    return page[page.index("<table"):page.index("</table>")]
