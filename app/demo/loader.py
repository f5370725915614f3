"""`flask demo load`: a small heating company to try Shifu with, made through the services.

Idempotent: every row is keyed (branch code, area and estate name, username, 户号, and a work order's
household + description) and created only when missing, so a second run adds nothing.
The static data is in `app.demo.data`; the same seed gives the same households on every run.
"""
import random
import unicodedata
from datetime import UTC, datetime, time, timedelta
from itertools import pairwise

import click
from flask import current_app

from app.auth.models import ROLES, User
from app.auth.services import create_user
from app.branches.models import Area, Branch, Estate
from app.callbacks import services as callbacks
from app.clocks import services as clocks
from app.demo import data
from app.demo.callbacks import shift_callbacks, work_callbacks
from app.demo.reconciliation import load_demo_reconciliation
from app.demo.visits import sign_finished_orders
from app.dispatch.services import candidates, dispatch, propose
from app.extensions import db
from app.households import services as households
from app.households.models import Household
from app.kpis import services as kpis
from app.localtime import from_local_naive, now_utc, to_local
from app.materials.demo import load_demo_catalogue, load_demo_stock
from app.price_list.demo import load_demo_price_list
from app.visits.services import ensure_default_photo_rules, latest_visit, record_step
from app.work_orders import services as orders
from app.work_orders.appointments import appointment_note, set_appointment
from app.work_orders.models import WorkOrder

# An order's life, in order; a status is reached after the first PATH_LENGTH[status] steps.
PATH = ("dispatch", "accept", "contact", "depart", "arrive", "complete", "call_back", "close")
PATH_LENGTH = {"new": 0, "dispatched": 1, "accepted": 2, "on_the_way": 4, "on_site": 5, "done": 6,
               "called_back": 7, "closed": 8}
# Minutes from the previous step; callbacks are then moved into office hours.
GAPS = {"dispatch": 3, "reassign": 2, "accept": 3, "contact": 4, "depart": 4, "arrive": 40, "complete": 50,
        "call_back": 26 * 60, "close": 20, "cancel": 25, "answer": 4}
CATEGORY_GAPS = {
    "urgent_leak": {"arrive": 14, "complete": 30},
    "paid_service": {"call_back": 3 * 60},  # within 24 h after paid service (003)
    "temperature_check": {"call_back": 3 * 60},
}
CALLBACK_HOURS = (9, 19)
BY_TECHNICIAN = ("accept", "contact", "depart", "arrive", "complete")
STAMPS = ("created_at", "dispatched_at", "accepted_at", "contacted_at", "departed_at", "arrived_at", "done_at",
          "called_back_at", "closed_at", "cancelled_at", "appointment_at")


def load_demo(echo):
    """Create whatever of the demo company is missing, commit once, and print the logins."""
    if current_app.config["SHIFU_ENV"] == "production":
        raise click.ClickException("演示数据只能装入开发或测试环境(SHIFU_ENV=development)。")
    clocks.ensure_default_policies()
    ensure_default_photo_rules()
    branches, areas = _load_map()
    people = _load_people(branches, areas)
    rng = random.Random(data.SEED)
    rows = _load_households(rng, people["admin"])
    new_catalogue = load_demo_catalogue(people["admin"]) is not None
    version = load_demo_price_list(people["admin"])
    _load_orders(rng, rows, people)
    _start_visits()
    if new_catalogue:
        load_demo_stock(people["admin"], branches, _technicians_by_branch())
    sign_finished_orders(version)
    work_callbacks(people["back_office"])
    load_demo_reconciliation(people["back_office"])
    kpis.rebuild()  # the KPI counters, recomputed from everything the demo wrote
    db.session.commit()
    _echo_logins(echo)


def _get_or_add(model, key, **fields):
    row = db.session.execute(db.select(model).filter_by(**key)).scalar_one_or_none()
    if row is None:
        row = model(**key, **fields)
        db.session.add(row)
        db.session.flush()
    return row


def _load_map():
    branches, areas = {}, {}
    for code, name, phone in data.BRANCHES:
        branches[code] = _get_or_add(Branch, {"code": code}, name=name, phone=phone)
        for area_name, estate_names in data.AREAS[code].items():
            areas[area_name] = _get_or_add(Area, {"name": area_name}, branch=branches[code])
            for estate_name in estate_names:
                _get_or_add(Estate, {"name": estate_name}, area=areas[area_name])
    return branches, areas


def _user(username, name, role, **extra):
    user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()
    return user or create_user(username, data.PASSWORD, name, role, **extra)


def _load_people(branches, areas):
    people = {role: _user(username, name, role, phone=phone) for username, name, role, phone, _ in data.DESK_USERS}
    for badge, name, phone, code, area_names in data.TECHNICIANS:
        _user(badge, name, "technician", phone=phone, badge_number=badge, branch=branches[code],
              areas=[areas[area_name] for area_name in area_names])
    for username, name, phone, code in data.STOREKEEPERS:
        _user(username, name, "storekeeper", phone=phone, branch=branches[code])
    db.session.flush()
    return people


def _household_rows(rng):
    """The same HOUSEHOLD_COUNT addresses for a given seed; 户号 = estate, building, unit, floor, door."""
    estates = [name for by_area in data.AREAS.values() for names in by_area.values() for name in names]
    rows, seen = [], set()
    while len(rows) < data.HOUSEHOLD_COUNT:
        number = rng.randrange(len(estates))
        building, unit, floor, door = rng.randint(1, 12), rng.randint(1, 4), rng.randint(1, 18), rng.randint(1, 4)
        name = rng.choice(data.SURNAMES) + rng.choice(data.GIVEN_NAMES)
        phone = rng.choice(data.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        account = f"{number + 1:02d}{building:02d}{unit:02d}{floor:02d}{door:02d}"
        if account not in seen:
            seen.add(account)
            rows.append({"account_number": account, "name": name, "phone": phone, "estate": estates[number],
                         "building": str(building), "unit": str(unit), "room": f"{floor}{door:02d}"})
    return rows


def _load_households(rng, admin):
    estate_ids = dict(db.session.execute(db.select(Estate.name, Estate.id)).all())
    existing = set(db.session.execute(db.select(Household.account_number)).scalars())
    rows = _household_rows(rng)
    for row in rows:
        if row["account_number"] not in existing:
            households.create(admin, {**row, "estate_id": estate_ids[row["estate"]]})
    return rows


def _customers(rng, rows):
    """One household per demo order, never twice, the orders alternating between the branches."""
    branch_of = {estate: code for code, by_area in data.AREAS.items() for names in by_area.values()
                 for estate in names}
    pools = {code: [row["account_number"] for row in rows if branch_of[row["estate"]] == code]
             for code in data.AREAS}
    for pool in pools.values():
        rng.shuffle(pool)
    codes = list(data.AREAS)
    return [pools[codes[i % len(codes)]].pop() for i in range(len(data.ORDERS))]


def _load_orders(rng, rows, people):
    pairs = zip(data.ORDERS, _customers(rng, rows), strict=True)
    for spec, account in sorted(pairs, key=lambda pair: -pair[0].age):  # oldest first: numbers follow time
        household = db.session.execute(db.select(Household).filter_by(account_number=account)).scalar_one()
        exists = db.session.execute(
            db.select(WorkOrder.id).filter_by(household_id=household.id, description=spec.description)
        ).first()
        if not exists:
            _play(spec, household, people)


def _steps(spec):
    if spec.status == "cancelled":
        return _steps(spec._replace(status=spec.before)) + ["cancel"]
    if spec.category == "consultation":
        return ["answer"] if spec.status == "closed" else []
    steps = list(PATH[: PATH_LENGTH[spec.status]])
    if spec.reassign:
        steps.insert(1, "reassign")
    if spec.appointment:
        steps.insert(steps.index("depart") if "depart" in steps else len(steps), "appoint")
    return steps


def _timeline(spec, now):
    """When the order was opened and when each step happened, oldest first.

    A booking happens exactly (age // 1 day) days ago, so shifting it back by whole days keeps the
    appointment's hour of day (the service refuses night appointments).
    """
    opened = at = now - timedelta(minutes=spec.age)
    events, appointment = [], None
    for step in _steps(spec):
        if step == "appoint":
            at = now - timedelta(days=spec.age // data.D)
            appointment = _appointment_time(at, *spec.appointment)
        elif step in ("depart", "arrive") and appointment:
            at = appointment - timedelta(minutes=25 if step == "depart" else 5)
        else:
            at += timedelta(minutes=_gap(spec, step))
            at = _office_hours(at) if step == "call_back" else at
        events.append((step, at))
    moments = [opened] + [at for _, at in events]
    if any(a >= b for a, b in pairwise(moments)) or moments[-1] > now:
        raise ValueError(f"demo order out of order or in the future: {spec.description}")
    return opened, events, appointment


def _gap(spec, step):
    minutes = CATEGORY_GAPS.get(spec.category, {}).get(step, GAPS[step])
    return minutes + spec.late if step == "arrive" else minutes


def _appointment_time(booked_at, days_later, hh_mm):
    day = to_local(booked_at).date() + timedelta(days=days_later)
    return from_local_naive(datetime.combine(day, time.fromisoformat(hh_mm)))


def _office_hours(moment):
    local = to_local(moment)
    start, end = CALLBACK_HOURS
    if local.hour < start:
        local = local.replace(hour=start)
    elif local.hour >= end:
        local = (local + timedelta(days=1)).replace(hour=start)
    return local.astimezone(UTC)


def _play(spec, household, people):
    """Run the order's life through the services, moving it back in time between steps.

    Every shift moves everything already stamped by the same amount, so step i ends up at its
    planned moment: the shifts after it add up to now - planned.
    """
    now = now_utc()
    opened, events, appointment = _timeline(spec, now)
    order = orders.open_work_order(people["dispatcher"], household, spec.channel, spec.category, spec.description,
                                   number_day=to_local(opened).date())  # numbered by the day it was opened
    previous = opened
    for step, at in events:
        _shift(order, at - previous)
        _do(step, order, spec, people, appointment + (now - at) if appointment else None)
        previous = at
    _shift(order, now - previous)
    _tell_history_the_final_times(order)


def _tell_history_the_final_times(order):
    """The appointment was booked in the present and moved back with the order; its history line still
    names the time it had then. The demo books once, so the line is the final appointment."""
    for change in order.history:
        if change.action == "appoint":
            change.note = appointment_note(None, order.appointment_at)


def _do(step, order, spec, people, appointment_at):
    desk = people["dispatcher"]
    if step in BY_TECHNICIAN:
        note = data.COMPLETE_NOTES.get(spec.category) if step == "complete" else None
        orders.perform(order, step, order.technician, note=note)
        if step == "complete":
            callbacks.open_for(order)
    elif step == "call_back":
        satisfaction, comment = data.CALLBACK_ANSWERS.get(spec.description, data.CALLBACK_ANSWER)
        callbacks.answer(callbacks.pending_for(order), people["back_office"], True, satisfaction, comment)
    elif step == "close":
        orders.perform(order, step, people["back_office"], note=data.CLOSE_NOTE)
    elif step == "dispatch":
        dispatch(order, desk, propose(order.area))
    elif step == "reassign":
        dispatch(order, desk, next(c["technician"] for c in candidates(order.area)
                                   if c["technician"].id != order.technician_id))
    elif step == "appoint":
        set_appointment(order, desk, appointment_at)
    elif step == "cancel":
        orders.cancel(order, desk, spec.reason)
    elif step == "answer":
        orders.answer_on_first_contact(order, desk, spec.reason)


def _shift(order, delta):
    """Move the order and its history back by delta; its clocks are re-derived from the new opening."""
    if not delta:
        return
    for field in STAMPS:
        if getattr(order, field) is not None:
            setattr(order, field, getattr(order, field) - delta)
    for change in order.history:
        change.at -= delta
    policy = clocks.policy_for(order.category)
    for field, due_at in clocks.deadlines(policy, order.created_at).items():
        setattr(order, field, due_at)
    clocks.follow_appointment(order, policy)
    orders.refresh_next_due(order)
    shift_callbacks(order, policy, delta)


def _technicians_by_branch():
    found = {}
    for badge, _name, _phone, code, _areas in data.TECHNICIANS:
        found.setdefault(code, []).append(db.session.execute(db.select(User).filter_by(username=badge)).scalar_one())
    return found


def _start_visits():
    """Technicians on site have knocked and introduced themselves: the phone shows a visit under way."""
    on_site = db.session.execute(db.select(WorkOrder).filter_by(status="on_site")).scalars().all()
    for order in on_site:
        if latest_visit(order) is None:
            for step in ("knock", "introduce"):
                record_step(order, order.technician, step, "done")


def _login_rows():
    rows = [(ROLES[role], username, sees) for username, _, role, _, sees in data.DESK_USERS]
    branch_names = {code: name for code, name, _ in data.BRANCHES}
    for username, name, _, code in data.STOREKEEPERS:
        rows.append((ROLES["storekeeper"], username, f"库管员 {name}:{branch_names[code]}库房的入库、领料、盘点,"
                                                    "随车库存"))
    for badge, name, _, code, area_names in data.TECHNICIANS:
        rows.append((ROLES["technician"], badge, f"维修师傅 {badge} {name}:{branch_names[code]} "
                                                f"{'、'.join(area_names)}的工单"))
    return [(role, username, data.PASSWORD, sees) for role, username, sees in rows]


def _width(text):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _echo_logins(echo):
    rows = [("角色", "用户名", "密码", "登录后看到")] + _login_rows()
    widths = [max(_width(row[i]) for row in rows) for i in range(3)]
    echo(f"演示数据已就绪。演示账号(密码均为 {data.PASSWORD}):")
    for row in rows:
        cells = [cell + " " * (width - _width(cell)) for cell, width in zip(row[:3], widths, strict=True)]
        echo("  ".join(cells + [row[3]]))
