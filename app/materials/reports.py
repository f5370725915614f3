"""The month's materials (docs/materials.md): what each branch's technicians used, at cost, split into what
customers were charged for and what the company bore; and the materials reconciliation — for every signed
slip, the company-supplied lines charged against the consumption recorded."""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, select

from app.auth.models import User
from app.branches.models import Branch
from app.extensions import db
from app.localtime import day_bounds
from app.materials.consumption import material_quantity
from app.materials.models import CONSUME, REVERSE, Material, StockLocation, StockMovement
from app.materials.services import units_text
from app.paid_service.models import QuoteLine
from app.paid_service.services import MATERIAL_CATEGORIES
from app.price_list.models import PriceItem
from app.price_list.money import yuan_text
from app.service_slips.models import SIGNED, Slip
from app.spreadsheets import table_workbook
from app.visits.models import RepairRecord
from app.work_orders.models import WorkOrder

CHARGED_NOT_CONSUMED = "charged_not_consumed"
CONSUMED_NOT_CHARGED = "consumed_not_charged"
PROBLEMS = {CHARGED_NOT_CONSUMED: "收费未出库", CONSUMED_NOT_CHARGED: "出库未收费"}


def month_days(month):
    """The first day of a YYYYMM month and of the next."""
    first = date(month // 100, month % 100, 1)
    return first, date(first.year + first.month // 12, first.month % 12 + 1, 1)


# ---- usage ----

@dataclass
class UsageRow:
    branch: str
    technician: str
    material: Material
    charged_centi: int = 0
    charged_cost_fen: int = 0
    company_centi: int = 0
    company_cost_fen: int = 0


def usage(month, branch_id=None):
    """[UsageRow] per branch, technician and material: consumption booked in the month, net of reversals."""
    first, after = month_days(month)
    sign = case((StockMovement.kind == REVERSE, -1), else_=1)
    place = func.coalesce(StockMovement.source_id, StockMovement.target_id)
    statement = (
        select(Branch.name, User.name, StockMovement.material_id, StockMovement.charged,
               func.sum(sign * StockMovement.quantity_centi),
               func.sum(sign * StockMovement.quantity_centi * StockMovement.unit_cost_fen))
        .join(StockLocation, StockLocation.id == place).join(User, User.id == StockLocation.technician_id)
        .join(Branch, Branch.id == StockMovement.branch_id)
        .where(StockMovement.kind.in_((CONSUME, REVERSE)), StockMovement.booked_on >= first,
               StockMovement.booked_on < after)
        .group_by(Branch.name, User.name, StockMovement.material_id, StockMovement.charged))
    if branch_id is not None:
        statement = statement.where(StockMovement.branch_id == branch_id)
    materials = {m.id: m for m in db.session.execute(select(Material)).scalars()}
    rows = {}
    for branch, technician, material_id, charged, centi, cost in db.session.execute(statement):
        row = rows.setdefault((branch, technician, material_id),
                              UsageRow(branch, technician, materials[material_id]))
        cost_fen = _fen(cost)
        if charged:
            row.charged_centi, row.charged_cost_fen = row.charged_centi + centi, row.charged_cost_fen + cost_fen
        else:
            row.company_centi, row.company_cost_fen = row.company_centi + centi, row.company_cost_fen + cost_fen
    return [rows[key] for key in sorted(rows, key=lambda k: (k[0], k[1], materials[k[2]].code))
            if rows[key].charged_centi or rows[key].company_centi]


def _fen(centi_fen):
    """Σ quantity (hundredths) × cost (fen) as fen, half-up."""
    return (int(centi_fen or 0) + 50) // 100


def by_technician(rows):
    """[(branch, technician, charged cost, company cost)] from usage rows."""
    totals = {}
    for row in rows:
        total = totals.setdefault((row.branch, row.technician), [0, 0])
        total[0] += row.charged_cost_fen
        total[1] += row.company_cost_fen
    return [(branch, technician, *total) for (branch, technician), total in totals.items()]


# ---- reconciliation ----

@dataclass
class Mismatch:
    problem: str
    slip: Slip
    order_number: str
    technician: str
    name: str
    unit: str
    charged_centi: int
    consumed_centi: int

    @property
    def problem_label(self):
        return PROBLEMS[self.problem]


@dataclass
class Reconciliation:
    slips: int = 0
    matched: int = 0
    mismatches: list = field(default_factory=list)


def reconcile(month, branch_id=None):
    """Every slip signed in the month (and still signed): company-supplied material lines charged vs the
    consumption the signing recorded, and materials the company bore on a visit the customer paid for."""
    first, after = month_days(month)
    statement = (select(Slip, WorkOrder.number, User.name)
                 .join(WorkOrder, WorkOrder.id == Slip.work_order_id).join(User, User.id == Slip.technician_id)
                 .where(Slip.status == SIGNED, Slip.signed_at >= day_bounds(first)[0],
                        Slip.signed_at < day_bounds(after)[0]).order_by(Slip.signed_at, Slip.id))
    if branch_id is not None:
        statement = statement.where(Slip.branch_id == branch_id)
    found = db.session.execute(statement).all()
    result = Reconciliation(slips=len(found))
    charged = _charged_lines([slip.quote_id for slip, _n, _t in found if slip.quote_id])
    consumed = _consumed(StockMovement.slip_id, [slip.id for slip, _n, _t in found], charged=True)
    paid_visits = _paid_visits([slip.visit_id for slip, _n, _t in found])
    borne = _consumed(StockMovement.visit_id, list(paid_visits), charged=False)
    for slip, number, technician in found:
        problems = _slip_problems(slip, charged.get(slip.quote_id, []), consumed.get(slip.id, {}),
                                  borne.get(slip.visit_id, {}) if slip.visit_id in paid_visits else {})
        result.mismatches.extend(Mismatch(p[0], slip, number, technician, *p[1:]) for p in problems)
        result.matched += not problems
    return result


def _charged_lines(quote_ids):
    """quote id → [(line, item)] of its company-supplied material lines."""
    if not quote_ids:
        return {}
    rows = db.session.execute(
        select(QuoteLine, PriceItem).join(PriceItem, PriceItem.id == QuoteLine.price_item_id)
        .where(QuoteLine.quote_id.in_(quote_ids), QuoteLine.supplied_by == "company",
               QuoteLine.category.in_(MATERIAL_CATEGORIES))).all()
    lines = {}
    for line, item in rows:
        lines.setdefault(line.quote_id, []).append((line, item))
    return lines


def _consumed(column, keys, charged):
    """key (slip or visit id) → {material: hundredths consumed, net of reversals}."""
    if not keys:
        return {}
    sign = case((StockMovement.kind == REVERSE, -1), else_=1)
    rows = db.session.execute(
        select(column, StockMovement.material_id, func.sum(sign * StockMovement.quantity_centi))
        .where(column.in_(keys), StockMovement.charged.is_(charged), StockMovement.kind.in_((CONSUME, REVERSE)))
        .group_by(column, StockMovement.material_id)).all()
    materials = {m.id: m for m in db.session.execute(
        select(Material).where(Material.id.in_({row[1] for row in rows}))).scalars()} if rows else {}
    found = {}
    for key, material_id, centi in rows:
        if centi:
            found.setdefault(key, {})[materials[material_id]] = centi
    return found


def _paid_visits(visit_ids):
    if not visit_ids:
        return set()
    return set(db.session.execute(select(RepairRecord.visit_id).where(
        RepairRecord.visit_id.in_(visit_ids), RepairRecord.resolution == "paid")).scalars())


def _slip_problems(slip, lines, consumed, borne):
    """[(problem, name, unit, charged, consumed)] for one slip."""
    problems, expected = [], {}
    for line, item in lines:
        if item.material is None:
            problems.append((CHARGED_NOT_CONSUMED, f"{line.name} {line.specification}".strip(), line.unit,
                             line.quantity_centi, 0))
        else:
            expected[item.material] = expected.get(item.material, 0) + material_quantity(line, item)
    for material in sorted(set(expected) | set(consumed), key=lambda m: m.code):
        want, got = expected.get(material, 0), consumed.get(material, 0)
        if want != got:
            kind = CHARGED_NOT_CONSUMED if want > got else CONSUMED_NOT_CHARGED
            problems.append((kind, _label(material), material.unit, want, got))
    for material, centi in sorted(borne.items(), key=lambda pair: pair[0].code):
        problems.append((CONSUMED_NOT_CHARGED, f"{_label(material)}(记为公司承担)", material.unit, 0, centi))
    return problems


def _label(material):
    return f"{material.name} {material.specification}".strip()


# ---- XLSX ----

def workbook(month, branch_id=None):
    """Two sheets' worth in one: the usage rows, then the mismatches (the page's two tables)."""
    rows = [[row.branch, row.technician, row.material.code, _label(row.material), row.material.unit,
             units_text(row.charged_centi), yuan_text(row.charged_cost_fen), units_text(row.company_centi),
             yuan_text(row.company_cost_fen)] for row in usage(month, branch_id)]
    rows.append([])
    rows.append(["对账:签字服务单的收费材料与出库记录不符"])
    rows.append(["问题", "服务单", "工单", "维修师傅", "材料或收费项目", "单位", "收费数量", "出库数量"])
    mismatches = reconcile(month, branch_id).mismatches
    rows.extend([m.problem_label, m.slip.serial, m.order_number, m.technician, m.name, m.unit,
                 units_text(m.charged_centi), units_text(m.consumed_centi)] for m in mismatches)
    headings = ["分公司", "维修师傅", "材料编码", "材料", "单位", "向客户收费数量", "收费部分成本(元)", "公司承担数量",
                "公司承担成本(元)"]
    return table_workbook("材料月报", headings, rows, widths=(12, 10, 12, 20, 6, 14, 14, 12, 14))
