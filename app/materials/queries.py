"""What the stock looks like: a technician's van, a branch's store, the low-stock list, the movements."""
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.materials.models import STORE, VAN, Material, StockLevel, StockLocation, StockMovement

MOVEMENTS_PAGE = 50


def catalogue(branch_id=None, include_inactive=False, with_branch=True):
    """Materials by code: every branch's, and `branch_id`'s own when given (None: all of them)."""
    statement = select(Material).order_by(Material.code)
    if with_branch:
        statement = statement.options(selectinload(Material.branch))
    if branch_id is not None:
        statement = statement.where(or_(Material.branch_id.is_(None), Material.branch_id == branch_id))
    if not include_inactive:
        statement = statement.where(Material.active.is_(True))
    return db.session.execute(statement).scalars().all()


def levels_of(location_id):
    """material id → on hand (hundredths) in one place."""
    if location_id is None:
        return {}
    rows = db.session.execute(select(StockLevel.material_id, StockLevel.on_hand_centi)
                              .where(StockLevel.location_id == location_id))
    return dict(rows.all())


def van_location_id(technician):
    return db.session.execute(select(StockLocation.id).filter_by(technician_id=technician.id)).scalar()


def van_levels(technician):
    """material id → on hand (hundredths) in the technician's van; empty without one. One query."""
    rows = db.session.execute(select(StockLevel.material_id, StockLevel.on_hand_centi)
                              .join(StockLocation, StockLocation.id == StockLevel.location_id)
                              .where(StockLocation.technician_id == technician.id))
    return dict(rows.all())


def phone_catalogue(branch_id):
    """The branch's catalogue as plain rows, as the phone keeps it (and as a process may keep it for a while)."""
    return [{"material_id": m.id, "code": m.code, "name": m.name, "specification": m.specification, "unit": m.unit,
             "whole_units": m.whole_units} for m in catalogue(branch_id, with_branch=False)]


def van_list(technician, rows=None):
    """The branch's catalogue (`rows`, from phone_catalogue) with the van's figure: what the van holds first."""
    held = van_levels(technician)
    listed = [{**row, "on_hand_centi": held.get(row["material_id"], 0)}
              for row in (rows if rows is not None else phone_catalogue(technician.branch_id))]
    return sorted(listed, key=lambda row: (row["on_hand_centi"] <= 0, row["code"]))


def store_location_id(branch_id):
    return db.session.execute(select(StockLocation.id).filter_by(kind=STORE, branch_id=branch_id)).scalar()


def store_levels(branch):
    """Each of the branch's materials with the store's figure and whether it is below its minimum."""
    held = levels_of(store_location_id(branch.id))
    return [{"material": m, "on_hand_centi": held.get(m.id, 0), "low": held.get(m.id, 0) < m.min_stock_centi}
            for m in catalogue(branch.id)]


def vans(branch_id):
    """The branch's vans with what each holds (materials with a non-zero figure)."""
    locations = db.session.execute(select(StockLocation).filter_by(kind=VAN, branch_id=branch_id)
                                   .order_by(StockLocation.id)).scalars().all()
    levels = db.session.execute(
        select(StockLevel).where(StockLevel.location_id.in_([loc.id for loc in locations]),
                                 StockLevel.on_hand_centi != 0)).scalars().all() if locations else []
    materials = {m.id: m for m in catalogue(branch_id, include_inactive=True)}
    held = {}
    for level in levels:
        held.setdefault(level.location_id, []).append((materials.get(level.material_id), level.on_hand_centi))
    return [{"location": loc, "technician": loc.technician,
             "held": sorted(held.get(loc.id, []), key=lambda pair: pair[0].code if pair[0] else "")}
            for loc in locations]


def movements(branch_id, location_id=None, material_id=None, kind=None, page=1):
    """The branch's movements, newest first, a page at a time; filtered by place, material or kind."""
    statement = select(StockMovement).where(StockMovement.branch_id == branch_id)
    if location_id is not None:
        statement = statement.where(or_(StockMovement.source_id == location_id,
                                        StockMovement.target_id == location_id))
    if material_id is not None:
        statement = statement.where(StockMovement.material_id == material_id)
    if kind is not None:
        statement = statement.where(StockMovement.kind == kind)
    statement = statement.order_by(StockMovement.id.desc()).limit(MOVEMENTS_PAGE + 1).offset(
        (page - 1) * MOVEMENTS_PAGE)
    rows = db.session.execute(statement).scalars().all()
    return rows[:MOVEMENTS_PAGE], len(rows) > MOVEMENTS_PAGE
