"""一户一档 (003 四.1): everything that happened at a household — every order with its status, every slip,
callbacks and ratings, readings below the standard, the advice given — and every change to its record, newest first."""
from datetime import timedelta

from sqlalchemy import func

from app.audit.models import AuditEvent
from app.auth.models import User
from app.callbacks.models import Callback
from app.extensions import db
from app.localtime import now_utc
from app.service_slips.models import Slip
from app.visits.models import RepairRecord, TemperatureReading, Visit
from app.work_orders.models import WorkOrder

RECENT = timedelta(days=7)


def orders(household):
    return db.session.execute(
        db.select(WorkOrder).filter_by(household_id=household.id).order_by(WorkOrder.created_at.desc())
    ).scalars().all()


def calls_since(household_id, since=None):
    """Orders opened for the household in the last seven days: "this household called twice this week"."""
    since = since or now_utc() - RECENT
    return db.session.execute(
        db.select(func.count()).select_from(WorkOrder)
        .where(WorkOrder.household_id == household_id, WorkOrder.created_at >= since)
    ).scalar_one()


def slips(order_ids):
    return db.session.execute(
        db.select(Slip).where(Slip.work_order_id.in_(order_ids)).order_by(Slip.signed_at.desc())
    ).scalars().all() if order_ids else []


def callbacks(order_ids):
    return db.session.execute(
        db.select(Callback).where(Callback.work_order_id.in_(order_ids), Callback.answered_at.is_not(None))
        .order_by(Callback.answered_at.desc())
    ).scalars().all() if order_ids else []


def low_readings(order_ids):
    """Readings below the standard at the time measured, with their order."""
    return db.session.execute(
        db.select(TemperatureReading, Visit.work_order_id).join(Visit, Visit.id == TemperatureReading.visit_id)
        .where(Visit.work_order_id.in_(order_ids), TemperatureReading.below_standard.is_(True))
        .order_by(TemperatureReading.at.desc())
    ).all() if order_ids else []


def advice(order_ids):
    """免费指导 (001 四.13): visits where the technician showed the customer how to repair their own side."""
    return db.session.execute(
        db.select(RepairRecord, Visit.work_order_id).join(Visit, Visit.id == RepairRecord.visit_id)
        .where(Visit.work_order_id.in_(order_ids), RepairRecord.resolution == "advice")
        .order_by(RepairRecord.at.desc())
    ).all() if order_ids else []


def changes(household):
    """The record's own history: created, edited (what changed, by whom), imported."""
    return db.session.execute(
        db.select(AuditEvent, User.name).outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.entity == "household", AuditEvent.entity_id == household.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    ).all()


def whole(household):
    found = orders(household)
    ids = [order.id for order in found]
    return {"orders": found, "slips": slips(ids), "callbacks": callbacks(ids), "low_readings": low_readings(ids),
            "advice": advice(ids), "changes": changes(household), "calls_this_week": calls_since(household.id)}
