"""The technician's bundle: everything the phone keeps so the visit can go on with no network."""
import functools

from sqlalchemy import bindparam, or_
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.localtime import company_zone, now_utc
from app.materials.models import StockMovement
from app.materials.queries import phone_catalogue
from app.price_list.services import version_in_force
from app.service_slips import content as slip_content
from app.service_slips.models import Slip
from app.temperature import standard
from app.visits import checklist
from app.visits.models import Visit
from app.visits.services import photo_rules
from app.work_orders.models import StatusChange, WorkOrder
from app.work_orders.queries import BY_DEADLINE, details
from app.work_orders.vocabulary import LOAD_STATUSES


def _start_of_today():
    local = now_utc().astimezone(company_zone())
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def technician_jobs(technician):
    """Open jobs, and those finished today (the technician may still need their record)."""
    orders = db.session.execute(_jobs_of(), {"technician_id": technician.id, "today": _start_of_today()}
                                ).unique().scalars().all()
    attach_visits(orders)
    return orders


@functools.cache
def _jobs_of():
    """technician_jobs' statement, made once: every bundle runs it."""
    return db.select(WorkOrder).where(
        WorkOrder.technician_id == bindparam("technician_id"),
        or_(WorkOrder.status.in_(LOAD_STATUSES), WorkOrder.done_at >= bindparam("today", type_=WorkOrder.done_at.type)),
    ).order_by(*BY_DEADLINE).options(*job_loads())


def _visit_parts(path):
    """Loader options for everything of a visit the phone shows, below `path` (Visit itself, or a relationship
    to it)."""
    return tuple(path.selectinload(part) for part in (Visit.steps, Visit.notes, Visit.readings, Visit.repair,
                                                       Visit.damages, Visit.photos)) + (
        path.selectinload(Visit.materials).joinedload(StockMovement.material),)


@functools.cache
def job_loads():
    """All the job schema shows, read with the orders: details, history and visits joined in their statement,
    one more per kind of visit record (none when no order has a visit). A command reads its locked order so, and
    answers from it without reading it again: the services keep what they add in these collections (appending,
    or expiring a view they cannot append to)."""
    return (*details(), joinedload(WorkOrder.history).joinedload(StatusChange.actor),
            *_visit_parts(joinedload(WorkOrder.visits)))


def attach_visits(orders):
    """Set each order's `current_visit` and `current_slip` (the latest of each), for the job schema, on orders read
    with job_loads (their visits and the visits' records in hand)."""
    ids = [order.id for order in orders]
    latest = {order.id: order.visits[-1] for order in orders if order.visits}
    slips = db.session.execute(  # a slip is signed on a visit: none to look for without one
        db.select(Slip).where(Slip.work_order_id.in_(ids)).order_by(Slip.id)
    ).scalars().all() if latest else []
    # The latest slip of the latest visit (service_slips.current_slip): a reopened order's next visit has none yet.
    latest_slip = {slip.work_order_id: slip for slip in slips
                   if latest.get(slip.work_order_id) and slip.visit_id == latest[slip.work_order_id].id}
    for order in orders:
        order.current_visit = latest.get(order.id)
        order.current_slip = latest_slip.get(order.id)
    return orders


def shared_parts(company_version, day, branch_id):
    """See _shared_parts; a database whose company stamp was never moved (version 0) is not cached."""
    if not company_version:
        return _shared_parts.__wrapped__(company_version, day, branch_id)
    return _shared_parts(company_version, day, branch_id)


@functools.lru_cache(maxsize=64)
def _shared_parts(company_version, day, branch_id):
    """What every technician of a branch gets alike: the checklist and photo rules, the slip's terms, the price
    list in force, the materials catalogue. Kept per process under the company's stamp (app/field/stamps.py),
    which every change to any of them moves, and the company's day (a price list comes into force at
    midnight): built once per change, not once per phone."""
    return {"checklist": checklist_policy(), "slip_terms": slip_terms(), "price_list_version_id": price_list_in_force(),
            "catalogue": phone_catalogue(branch_id)}


def checklist_policy():
    rules = photo_rules()
    room_standard = standard.current()
    return {
        "steps": [{**step.__dict__, "photos": rules.get(step.code, [])} for step in checklist.STEPS],
        "photo_kinds": checklist.PHOTO_KINDS,
        "rooms": checklist.ROOMS,
        "fault_locations": checklist.FAULT_LOCATIONS,
        "resolutions": checklist.RESOLUTIONS,
        # What a phone of before the room standard reads; room_standard is the rule by the hour.
        "min_room_celsius": room_standard.day_min_tenths / 10,
        "room_standard": room_standard.as_bundle(),
    }


def slip_terms():
    return {"clause": slip_content.CLAUSE, "payment_methods": slip_content.PAYMENT_METHODS,
            "satisfaction": slip_content.SATISFACTION}


def price_list_in_force():
    version = version_in_force()
    return version.id if version else None

