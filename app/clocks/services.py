"""Clocks (时限): deadlines from the policy, what is due next, and whether each was met."""
from dataclasses import dataclass
from datetime import timedelta
from itertools import islice

from app.audit.services import record
from app.clocks import calendar
from app.clocks.models import ClockPolicy
from app.errors import ValidationFailed
from app.extensions import db
from app.localtime import company_zone, now_utc
from app.work_orders.vocabulary import CATEGORIES, OPEN_STATUSES

# Defaults from domain.md (seed 000 九.十, 四.五; 003 三). A company changes them on the admin page.
# Callbacks (001 三.8.h): a repair once 48 h have passed since completion (000 九.十一 "48小时后做一次
# 回访"), then within a day; complaints and temperature checks within 48 h of completion; paid service
# within 24 h, never 20:00–08:00 (003); a consultation is answered on the call and not called back.
REPAIR_CALLBACK = {"callback_after_hours": 48, "callback_hours": 24, "callback_daytime_only": False}
PROMPT_CALLBACK = {"callback_after_hours": 0, "callback_hours": 48, "callback_daytime_only": False}
DEFAULT_POLICIES = {
    "urgent_leak": {"on_site_minutes": 30, **REPAIR_CALLBACK},
    "repair": {"contact_minutes": 30, "on_site_minutes": 120, "fixed_minutes": 24 * 60, **REPAIR_CALLBACK},
    "complaint": {"contact_minutes": 60, "fixed_working_days": 3, **PROMPT_CALLBACK},
    "paid_service": {"by_appointment": True, "callback_hours": 24, "callback_daytime_only": True},
    "temperature_check": {"by_appointment": True, **PROMPT_CALLBACK},
    "consultation": {},
}
MAX_CALLBACK_HOURS = 30 * 24

CLOCK_LABELS = {"contact": "联系客户", "on_site": "到场", "fixed": "修复"}
LIMIT_FIELDS = ("contact_minutes", "on_site_minutes", "fixed_minutes", "fixed_working_days")
# Bounds that keep a typo (an extra zero or ten) from setting a deadline years away.
LIMIT_MAXIMA = {"contact_minutes": 30 * 24 * 60, "on_site_minutes": 30 * 24 * 60, "fixed_minutes": 30 * 24 * 60,
                "fixed_working_days": 60}


def policy_for(category):
    policy = db.session.execute(
        db.select(ClockPolicy).filter_by(category=category)
    ).scalar_one_or_none()
    return policy or ClockPolicy(category=category, **DEFAULT_POLICIES.get(category, {}))


def ensure_default_policies():
    existing = set(db.session.execute(db.select(ClockPolicy.category)).scalars())
    for category, limits in DEFAULT_POLICIES.items():
        if category not in existing:
            db.session.add(ClockPolicy(category=category, **limits))
    db.session.flush()


def update_policy(actor, category, limits, by_appointment, callback=None):
    """`callback` is {"hours": int | None, "daytime_only": bool, "after_hours": int (0 when left out)};
    None leaves the callback window as it is."""
    if category not in CATEGORIES:
        raise ValidationFailed("没有这个工单类别。", {"category": ["未知类别"]})
    bad = {name: [f"须为 1–{LIMIT_MAXIMA[name]} 的整数"] for name in LIMIT_FIELDS
           if limits.get(name) is not None and not 0 < limits[name] <= LIMIT_MAXIMA[name]}
    if bad:
        raise ValidationFailed("时限须为正整数(分钟不超过 30 天,工作日不超过 60 天),或留空表示不计时。", bad)
    _check_callback(callback)
    policy = policy_for(category)
    for name in LIMIT_FIELDS:
        setattr(policy, name, limits.get(name))
    policy.by_appointment = by_appointment
    if callback is not None:
        policy.callback_hours = callback["hours"]
        policy.callback_after_hours = callback.get("after_hours") or 0
        policy.callback_daytime_only = callback["daytime_only"]
    db.session.add(policy)
    db.session.flush()
    record(actor, "clock_policy", policy.id, "update", category=category, by_appointment=by_appointment,
           callback_hours=policy.callback_hours, callback_after_hours=policy.callback_after_hours,
           callback_daytime_only=bool(policy.callback_daytime_only),
           **{name: limits.get(name) for name in LIMIT_FIELDS})
    return policy


def _check_callback(callback):
    hours, after = (callback or {}).get("hours"), (callback or {}).get("after_hours") or 0
    if hours is not None and not 1 <= hours <= MAX_CALLBACK_HOURS:
        raise ValidationFailed(f"回访时限须为 1–{MAX_CALLBACK_HOURS} 小时,或留空表示不回访。",
                               {"callback_hours": [f"须为 1–{MAX_CALLBACK_HOURS} 的整数"]})
    if not 0 <= after <= MAX_CALLBACK_HOURS:
        raise ValidationFailed(f"完工后开始回访的小时数须为 0–{MAX_CALLBACK_HOURS}。",
                               {"callback_after_hours": [f"须为 0–{MAX_CALLBACK_HOURS} 的整数"]})


def add_working_days(start, days):
    """The same time of day, `days` whole working days later, counted on Beijing dates: Monday–Friday unless
    the holiday calendar says otherwise (app/clocks/calendar.py)."""
    if days <= 0:
        return start
    local = start.astimezone(company_zone())
    last = next(islice(calendar.working_days_after(local.date(), days), days - 1, None))
    return (local + (last - local.date())).astimezone(start.tzinfo)


def deadlines(policy, opened_at):
    def after(minutes):
        return opened_at + timedelta(minutes=minutes) if minutes else None

    fixed = after(policy.fixed_minutes)
    if policy.fixed_working_days:
        fixed = add_working_days(opened_at, policy.fixed_working_days)
    return {
        "contact_due_at": after(policy.contact_minutes),
        "on_site_due_at": after(policy.on_site_minutes),
        "fixed_due_at": fixed,
    }


def follow_appointment(order, policy):
    """An agreed appointment is the on-site deadline; the repair window moves with it."""
    if order.appointment_at is None:
        return
    order.on_site_due_at = order.appointment_at
    if policy.fixed_minutes and order.fixed_due_at is not None:
        window = timedelta(minutes=policy.fixed_minutes - (policy.on_site_minutes or 0))
        order.fixed_due_at = max(order.fixed_due_at, order.appointment_at + window)


@dataclass(frozen=True)
class Clock:
    name: str
    due_at: object
    met_at: object

    @property
    def label(self):
        return CLOCK_LABELS[self.name]

    def state(self, now=None):
        if self.met_at is not None:
            return "met" if self.met_at <= self.due_at else "late"
        return "overdue" if (now or now_utc()) > self.due_at else "running"


def clocks(order):
    pairs = (
        ("contact", order.contact_due_at, order.contacted_at),
        ("on_site", order.on_site_due_at, order.arrived_at),
        ("fixed", order.fixed_due_at, order.done_at),
    )
    return [Clock(name, due, met) for name, due, met in pairs if due is not None]


def next_due(order):
    if order.status not in OPEN_STATUSES:
        return None
    pending = [clock.due_at for clock in clocks(order) if clock.met_at is None]
    return min(pending) if pending else None


def is_timely(order):
    return all(clock.state() == "met" for clock in clocks(order))
