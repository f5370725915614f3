"""Signing, voiding and checking service slips (docs/slips.md).

What the customer signed on the phone is rebuilt here from what the server holds and compared by
hash before anything is kept: a slip is stored exactly as signed, or not at all. The serial is
taken last, so the counter row is held for the shortest time.
"""
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func

from app.audit.services import record
from app.callbacks import services as callbacks
from app.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from app.extensions import db
from app.localtime import now_utc, to_local
from app.locks import lock_row
from app.materials import consumption
from app.paid_service.services import Wanted, keep_quote, price_lines
from app.price_list.models import PUBLISHED
from app.price_list.services import after_sales_lookup, get_version
from app.reconciliation.money import ensure_slip_may_be_voided, hold_technician
from app.service_slips import content as documents
from app.service_slips.models import SIGNED, VOIDED, Slip, SlipRating, SlipSignature
from app.service_slips.serials import next_serial
from app.service_slips.signatures import check_signature
from app.visits.models import Visit
from app.visits.services import latest_visit
from app.work_orders.models import WorkOrder
from app.work_orders.services import occurred_at

# On site, or later for a slip that replaces a voided one (the technician goes back to the customer).
SIGNABLE_STATUSES = ("on_site", "done", "called_back", "closed")
MAX_COMMENT = 500


@dataclass
class Signing:
    """What the signing adds to the order and the visit: the customer's choices and the signatures."""

    signed_at: datetime
    signatures: dict  # party → PNG bytes
    payment_method: str
    collected_fen: int
    satisfaction: str
    comment: str = ""
    charged: bool = False
    version_id: int | None = None
    lines: list = field(default_factory=list)
    replaces: str | None = None
    terms_of: object = lambda _price_item_id: ("", 0)  # the after-sales terms of a price item


def get_slip(slip_id):
    slip = db.session.get(Slip, slip_id)
    if slip is None:
        raise NotFound("找不到该服务单。")
    return slip


def by_serial(serial):
    slip = db.session.execute(db.select(Slip).filter_by(serial=serial)).scalar_one_or_none()
    if slip is None:
        raise NotFound(f"找不到服务单 {serial}。")
    return slip


def slips_of(order_id):
    return db.session.execute(db.select(Slip).filter_by(work_order_id=order_id).order_by(Slip.id)).scalars().all()


def current_slip(order_id):
    """The latest slip (signed or voided) of the order's latest visit; None before signing. A reopened
    order's next visit starts without one: its work goes on a slip of its own."""
    latest = db.session.execute(db.select(func.max(Visit.id)).filter_by(work_order_id=order_id)).scalar_one()
    slips = [slip for slip in slips_of(order_id) if slip.visit_id == latest]
    return slips[-1] if slips else None


def sign(actor, order, submission):
    """Keep the slip the customer signed. `submission` is SignIn as loaded (docs/slips.md §2).

    :raise Conflict: slip_exists, slip_mismatch. :raise ValidationFailed: bad lines, payment, signature.
    """
    visit = _signable_visit(actor, order)
    replaced = _replaced(order, submission["replaces"])
    signing = _signing(visit, submission)
    document = _as_signed(order, visit, signing, submission)
    quote = keep_quote(actor, order, get_version(signing.version_id), signing.lines) if signing.charged else None
    signed_on = occurred_at(order, signing.signed_at)  # the year of the serial: a plausible signing time
    hold_technician(actor.id)  # a close of this technician's day waits for this slip, or this slip for it
    slip = Slip(
        serial=next_serial(order.branch, signed_on), work_order_id=order.id, visit_id=visit.id,
        branch_id=order.branch_id, technician_id=actor.id, quote=quote, charged=signing.charged,
        total_fen=document["total_fen"], payment_method=signing.payment_method, collected_fen=signing.collected_fen,
        satisfaction=signing.satisfaction, comment=signing.comment, signed_at=signing.signed_at,
        content=documents.canonical(document).decode(), content_sha256=documents.digest(document),
        replaces=replaced, status=SIGNED, verify_token=new_token(),
        signatures=[SlipSignature(party=party, png=png, sha256=document["signatures"][party])
                    for party, png in sorted(signing.signatures.items())],
    )
    db.session.add(slip)
    db.session.flush()
    record(actor, "service_slip", slip.id, "sign", serial=slip.serial, sha256=slip.content_sha256)
    if signing.charged:
        consumption.consume_charged(actor, order, slip, signing.lines)  # stock levels: the last locks taken
    return slip


def preview(actor, order, submission):
    """The document the server expects for this submission (without its hash): what a phone must show.

    For slips made on the server's side (demo data, tests); the phone builds the same in JS.
    """
    visit = _signable_visit(actor, order)
    return documents.build(order, visit, _signing(visit, submission))


def _signable_visit(actor, order):
    if order.technician_id != actor.id:
        raise NotFound("找不到该工单。")
    if order.status not in SIGNABLE_STATUSES:
        raise InvalidTransition("工单尚未到场(或已取消),不能签服务单。")
    visit = latest_visit(order)
    if visit is None or visit.repair is None:
        raise InvalidTransition("请先记录维修情况,再请客户签服务单。", code="repair_missing")
    signed = [s for s in slips_of(order.id) if s.status == SIGNED and s.visit_id == visit.id]
    if signed:
        raise Conflict(f"本次入户已有服务单 {signed[0].serial};如需更正,请先作废。", code="slip_exists")
    return visit


def _replaced(order, serial):
    if serial is None:
        return None
    old = db.session.execute(db.select(Slip).filter_by(serial=serial, work_order_id=order.id)).scalar_one_or_none()
    if old is None or old.status != VOIDED or old.replaced_by is not None:
        raise ValidationFailed("被更正的服务单须是本工单已作废的服务单。", {"replaces": ["不是可更正的服务单"]})
    return old


def _signing(visit, submission):
    charged = visit.repair.resolution == "paid"
    signing = Signing(
        signed_at=submission["signed_at"].replace(microsecond=0), signatures=submission["signatures"],
        payment_method=submission["payment"]["method"], collected_fen=submission["payment"]["collected_fen"],
        satisfaction=submission["feedback"]["satisfaction"], comment=submission["feedback"]["comment"].strip(),
        charged=charged, replaces=submission["replaces"],
    )
    _check_signatures(signing.signatures)
    if charged:
        signing.version_id = submission["price_list_version_id"]
        version = _version_for(signing)
        signing.lines = price_lines(version, [Wanted(**line) for line in submission["lines"]])
        signing.terms_of = after_sales_lookup(version)
    elif submission["lines"]:
        raise ValidationFailed("公司产权范围内免费维修,不收费,无需报价。", {"lines": ["免费维修不列收费项目"]})
    _check_payment(signing, sum(line.amount_fen for line in signing.lines))
    return signing


def _check_signatures(signatures):
    problems = {}
    for party in documents.PARTIES:
        try:
            check_signature(signatures.get(party))
        except ValueError as error:
            problems[f"signatures.{party}"] = [str(error)]
    if problems:
        raise ValidationFailed("签名有误。", problems)


def _version_for(signing):
    if signing.version_id is None:
        raise ValidationFailed("有偿服务须按价目表报价。", {"price_list_version_id": ["请选择价目表"]})
    version = get_version(signing.version_id)
    signed_on = to_local(signing.signed_at).date()
    if version.status != PUBLISHED or version.effective_from > signed_on:
        raise ValidationFailed("报价所用的价目表在签单当天尚未生效。", {"price_list_version_id": ["价目表未生效"]})
    return version


def _check_payment(signing, total):
    method, collected = signing.payment_method, signing.collected_fen
    if method not in documents.PAYMENT_METHODS:
        wrong = "未知付款方式"
    elif method == "none":
        wrong = None if total == 0 and collected == 0 else "收费项目须选择付款方式"
    elif method == "unpaid":
        wrong = None if collected == 0 else "未付款时实收金额应为 0"
    else:
        wrong = None if 1 <= collected <= total else "实收金额应大于 0 且不超过应收金额"
    problems = {} if wrong is None else {"payment": [wrong]}
    if signing.satisfaction not in documents.SATISFACTION:
        problems["feedback.satisfaction"] = ["请选择满意程度"]
    if len(signing.comment) > MAX_COMMENT:
        problems["feedback.comment"] = [f"最多 {MAX_COMMENT} 字"]
    if problems:
        raise ValidationFailed("付款或评价信息有误。", problems)


def _as_signed(order, visit, signing, submission):
    """The document the customer signed, as this server builds it in each shape it reads (VERSIONS: a
    phone signs v1 until its app is updated). :raise Conflict: slip_mismatch, against the current shape."""
    built = [documents.build(order, visit, signing, version) for version in documents.VERSIONS]
    for document in built:
        if documents.digest(document) == submission["content_sha256"].lower():
            return document
    differing = documents.differing_keys(built[0], submission.get("content"))
    raise Conflict("服务单内容与客户签名时看到的不一致,未保存。请核对后重新签名。",
                   {key: ["与手机上签名时的内容不一致"] for key in differing}, code="slip_mismatch")


def new_token():
    return secrets.token_urlsafe(16)


def void(actor, slip, reason):
    """Void with a reason, kept forever; the serial stays in the register and a new slip may replace it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请填写作废原因。", {"reason": ["此项必填"]})
    lock_row(WorkOrder, slip.work_order_id)  # locks 2 then 4 (app/locks.py), as a signing takes them
    db.session.refresh(slip)
    if slip.status == VOIDED:
        raise Conflict(f"服务单 {slip.serial} 已作废。", code="slip_voided")
    ensure_slip_may_be_voided(slip)
    slip.status, slip.void_reason, slip.voided_at, slip.voided_by_id = VOIDED, reason[:500], now_utc(), actor.id
    db.session.flush()
    record(actor, "service_slip", slip.id, "void", serial=slip.serial, reason=slip.void_reason)
    consumption.reverse_charged(actor, slip)
    return slip


def revoke_token(actor, slip):
    """Give the slip a new verification token: the old QR code stops working."""
    slip.verify_token = new_token()
    db.session.flush()
    record(actor, "service_slip", slip.id, "revoke_token", serial=slip.serial)
    return slip


def by_token(token):
    slip = db.session.execute(db.select(Slip).filter_by(verify_token=token)).scalar_one_or_none()
    if slip is None:
        raise NotFound("找不到该服务单,二维码可能已失效。")
    return slip


def rate(slip, satisfaction, comment, solved=None):
    """The customer's own rating, once: the self-service side of 一访. It answers the order's callback
    when the customer says the problem is solved (`solved`: True, False, or None when not said)."""
    if slip.rating is not None:
        raise Conflict("您已经评价过本次服务,谢谢!", code="already_rated")
    problems = {}
    if satisfaction not in documents.SATISFACTION:
        problems["satisfaction"] = ["请选择满意程度"]
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        problems["comment"] = [f"最多 {MAX_COMMENT} 字"]
    if solved not in (True, False, None):
        problems["solved"] = ["请选择问题是否已解决"]
    if problems:
        raise ValidationFailed("评价有误。", problems)
    slip.rating = SlipRating(satisfaction=satisfaction, comment=comment, solved=solved, rated_at=now_utc())
    db.session.flush()
    callbacks.take_slip_rating(slip.rating)
    return slip.rating


def verify_integrity(slip):
    """Rebuild the signed document from the stored rows and compare: False means something was altered."""
    try:
        document = json.loads(slip.content)
    except ValueError:
        return False
    document["lines"] = [documents.line_entry(line) for line in slip.quote.lines] if slip.quote else []
    document["total_fen"] = slip.total_fen
    document["payment"] = {"method": slip.payment_method, "collected_fen": slip.collected_fen}
    document["feedback"] = {"satisfaction": slip.satisfaction, "comment": slip.comment}
    document["signed_at"] = documents.utc_text(slip.signed_at)
    document["signatures"] = {s.party: documents.sha256_hex(s.png) for s in slip.signatures}
    stored = documents.canonical(document).decode()
    return stored == slip.content and documents.digest(document) == slip.content_sha256
