"""The visit's rules: steps in order, skips with a reason, photos where the policy asks, records once."""
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.orm.attributes import set_committed_value

from app.audit.services import record
from app.callbacks import services as callbacks
from app.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from app.extensions import db
from app.service_slips.models import SIGNED, Slip
from app.temperature import standard
from app.visits import checklist
from app.visits.models import DamageRecord, PhotoRule, RepairRecord, TemperatureReading, Visit, VisitNote, VisitStep
from app.work_orders.services import ALREADY_RECORDED, check_allowed, occurred_at, perform
from app.work_orders.vocabulary import STATUSES, TEMPERATURE_CHECK


def ensure_default_photo_rules():
    if db.session.execute(db.select(PhotoRule.id).limit(1)).first() is None:
        db.session.add_all(PhotoRule(step=step, kind=kind) for step, kind in checklist.DEFAULT_PHOTO_RULES)
        db.session.flush()


def photo_rules():
    """{step: [kinds]} — what each step needs before it counts as done."""
    rules = {}
    for rule in db.session.execute(db.select(PhotoRule).order_by(PhotoRule.id)).scalars():
        rules.setdefault(rule.step, []).append(rule.kind)
    return rules


def latest_visit(order):
    """The visit being done, or the last one done: the last of the order's visits (read with a command's order,
    field.services.job_loads; loaded on first use otherwise). A new visit is appended to them."""
    return order.visits[-1] if order.visits else None


def visit_in_progress(order, actor):
    """The visit the technician is on now; opened at the first record after an arrival, closed by 一别.

    :raise NotFound: the order is not this technician's. :raise InvalidTransition: not on site.
    """
    if order.technician_id != actor.id:
        raise NotFound("找不到该工单。")
    if order.status != "on_site":
        raise InvalidTransition(f"工单当前为“{STATUSES[order.status]}”,到场后才能记录入户服务。")
    visit = latest_visit(order)
    if visit is None or visit.started_at < order.arrived_at or visit.technician_id != actor.id:
        # A new visit has no records: its collections start empty, not unloaded (nothing to read for them).
        visit = Visit(technician_id=actor.id, started_at=order.arrived_at, steps=[], notes=[], readings=[], repair=None,
                      damages=[], photos=[])
        order.visits.append(visit)
        db.session.flush()
        set_committed_value(visit, "materials", [])
    elif visit.finished_at is not None:
        raise Conflict("本次入户服务已结束(已道别),不能再添加记录。", code="visit_finished")
    return visit


def record_step(order, actor, step, outcome, reason=None, note=None, device_time=None):
    visit = visit_in_progress(order, actor)
    _check_next_step(visit, step)
    if outcome == "skipped" and not (reason or "").strip():
        raise ValidationFailed("跳过步骤须说明原因。", {"reason": ["请填写跳过原因"]})
    if outcome == "done":
        _check_photos(visit, step)
    if order.category == TEMPERATURE_CHECK:
        _check_temperature_visit(visit, step, outcome)
    at = occurred_at(order, device_time)
    db.session.add(VisitStep(visit=visit, step=step, outcome=outcome, reason=(reason or "").strip() or None,
                             note=note, at=at, device_time=device_time))
    if step == checklist.STEP_CODES[-1]:
        visit.finished_at = at
    db.session.flush()
    return visit


def _check_next_step(visit, step):
    if step not in checklist.BY_CODE:
        raise ValidationFailed("没有这个步骤。", {"step": ["未知步骤"]})
    recorded = [s.step for s in visit.steps]
    if step in recorded:
        raise Conflict(f"“{checklist.BY_CODE[step].title}”已记录过。", code=ALREADY_RECORDED)
    expected = checklist.STEP_CODES[len(recorded)]
    if step != expected:
        raise InvalidTransition(f"请先完成或跳过“{checklist.BY_CODE[expected].title}”。")


def _check_temperature_visit(visit, step, outcome):
    """A 测温 order's visit measures the flat and has the customer sign the readings (000 八): 一修 is
    neither skipped nor done without a reading and its record, and 一别 waits for the signed slip."""
    if step == "repair":
        if outcome == "skipped":
            raise Conflict("测温工单须测量室温,“维修”一步不能跳过。", code="readings_required")
        missing = [name for name, there in (("readings", visit.readings), ("repair", visit.repair)) if not there]
        if missing:
            raise Conflict("请先测量并记录室温,并填写测温情况(故障位置、诊断、结果)。", {"missing": missing},
                           code="readings_required")
    if step == checklist.STEP_CODES[-1] and signed_slip_of(visit) is None:
        raise Conflict("测温记录须经客户签字才有效:请先请客户签署服务单。", code="slip_missing")


def _check_photos(visit, step):
    have = {photo.kind for photo in visit.photos if photo.step == step}
    missing = [kind for kind in photo_rules().get(step, []) if kind not in have]
    if missing:
        names = "、".join(checklist.PHOTO_KINDS[kind] for kind in missing)
        raise Conflict(f"此步骤须先拍{names}照片。", {"photos": missing}, code="photos_missing")


def add_note(order, actor, text, step=None, device_time=None):
    if not (text or "").strip():
        raise ValidationFailed("备注不能为空。", {"text": ["请填写备注"]})
    visit = visit_in_progress(order, actor)
    visit.notes.append(VisitNote(step=step, text=text.strip(), at=occurred_at(order, device_time)))
    db.session.flush()
    return visit


def add_reading(order, actor, room, celsius, device_time=None):
    """A room temperature, judged by the standard at the time it was measured (the phone's clock, which
    the customer sees and signs). None is taken once the visit's slip is signed: the customer did not
    sign it, and an unsigned reading is not valid (000 八)."""
    if room not in checklist.ROOMS:
        raise ValidationFailed("请选择房间。", {"room": ["未知房间"]})
    tenths = tenths_of(celsius)
    if not -100 <= tenths <= 400:
        raise ValidationFailed("室温读数不合理。", {"celsius": ["应在 -10 至 40 °C 之间"]})
    visit = visit_in_progress(order, actor)
    if signed_slip_of(visit) is not None:
        raise Conflict("服务单已签名,不能再添加测温记录;如需补测,请先作废服务单,补测后重新签名。",
                       code="slip_frozen")
    at = occurred_at(order, device_time)
    minimum = standard.current().minimum_at(device_time or at)
    visit.readings.append(TemperatureReading(room=room, tenths=tenths, minimum_tenths=minimum,
                                             below_standard=tenths < minimum, at=at, device_time=device_time))
    db.session.flush()
    return visit


def signed_slip_of(visit):
    return db.session.execute(db.select(Slip.id).filter_by(visit_id=visit.id, status=SIGNED)).scalar()


def tenths_of(celsius):
    """18.25 → 183: half-up, as the phone rounds (Math.round), where round() would give 182."""
    return int((Decimal(str(celsius)) * 10).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def record_repair(order, actor, fault_location, resolution, diagnosis, result, device_time=None):
    visit = visit_in_progress(order, actor)
    _check_repair(fault_location, resolution, diagnosis, result)
    if visit.repair is not None:
        raise Conflict("本次维修情况已记录。", code="repair_recorded")
    visit.repair = RepairRecord(fault_location=fault_location, resolution=resolution, diagnosis=diagnosis.strip(),
                                result=result.strip(), at=occurred_at(order, device_time))
    db.session.flush()
    return visit


def _check_repair(fault_location, resolution, diagnosis, result):
    fields = {}
    if fault_location not in checklist.FAULT_LOCATIONS:
        fields["fault_location"] = ["请选择故障位置"]
    if resolution not in checklist.RESOLUTIONS:
        fields["resolution"] = ["请选择处理方式"]
    if fault_location == "company" and resolution != "free":
        fields["resolution"] = ["公司产权范围内的故障免费维修"]
    for name, text in (("diagnosis", diagnosis), ("result", result)):
        if not (text or "").strip():
            fields[name] = ["此项必填"]
    if fields:
        raise ValidationFailed("维修情况不完整。", fields)


def record_damage(order, actor, description, device_time=None):
    if not (description or "").strip():
        raise ValidationFailed("请描述损坏情况。", {"description": ["此项必填"]})
    visit = visit_in_progress(order, actor)
    visit.damages.append(DamageRecord(description=description.strip(), at=occurred_at(order, device_time)))
    db.session.flush()
    return visit


def advance(order, actor, action, device_time=None, note=None):
    """A step in the order's life from a phone or the API: 完工 only once the visit is finished, and
    完工 opens the callback task; 回访 itself is recorded with its answer on the callback (app/callbacks).

    The one door for these transitions; `work_orders.services.perform` is the bare state machine,
    which the demo data and tests use to make finished orders without visits.
    """
    if action == "complete":
        check_allowed(order, action, actor)
        require_finished_visit(order)
    if action == "call_back":
        check_allowed(order, action, actor)
        if callbacks.pending_for(order) is not None:
            raise Conflict("请在“回访”页记录回访结果(是否解决、满意度)。", code="callback_pending")
    perform(order, action, actor, device_time=device_time, note=note)
    if action == "complete":
        callbacks.open_for(order)
    return order


def require_finished_visit(order):
    visit = latest_visit(order)
    if visit is None or visit.finished_at is None:
        raise InvalidTransition("入户服务步骤未完成,不能完工。")


def set_photo_rules(actor, wanted):
    """Replace the photo rules with `wanted`, a set of (step, kind); recorded in the audit trail."""
    bad = [(s, k) for s, k in wanted if s not in checklist.BY_CODE or k not in checklist.PHOTO_KINDS]
    if bad:
        raise ValidationFailed("没有这个步骤或照片类型。", {"rules": [f"{s}/{k}" for s, k in bad]})
    current = {(r.step, r.kind): r for r in db.session.execute(db.select(PhotoRule)).scalars()}
    for key in set(current) - set(wanted):
        db.session.delete(current[key])
    for step, kind in set(wanted) - set(current):
        db.session.add(PhotoRule(step=step, kind=kind))
    db.session.flush()
    record(actor, "photo_rules", 0, "update", rules=sorted(f"{s}/{k}" for s, k in wanted))
