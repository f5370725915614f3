"""The five KPIs of 001 八 and the 十个一 checklist: what each counts, its target, and how a figure reads.

An order adds to the counters according to `contributions()`; `recount.py` says the same in SQL, and a
test holds the two together. The definitions, with the reasons for them, are in docs/kpis.md.
"""
from dataclasses import dataclass

from app.clocks.services import is_timely
from app.kpis.models import TALLIES

REPAIR_CATEGORIES = ("repair", "urgent_leak")
COMPLAINT = "complaint"
# Work done and not reopened since: 完工, 已回访, 已关闭.
FINISHED = ("done", "called_back", "closed")
SATISFIED = "satisfied"


@dataclass(frozen=True)
class Kpi:
    code: str
    name: str
    short: str
    hits: str  # the tally counted as a hit
    total: str  # the tally it is a share of
    target: int  # percent: the figure meets it when hits / total >= target
    counted: str  # what the total counts, e.g. "已完工报修"
    hit_word: str
    miss_word: str
    unit: str

    @property
    def target_text(self):
        return f"{self.target}%" if self.target == 100 else f"≥{self.target}%"


FEW_SWING = 10  # under 10 orders one order moves a rate by more than 10 points: not a trend

KPIS = (
    Kpi("repair_timeliness", "客户报修处理及时率", "报修及时率", "repairs_timely", "repairs", 100,
        "已完工的报修和跑冒滴漏,以及未完工但已超时的", "及时", "超时", "单"),
    Kpi("satisfaction", "客户满意率", "满意率", "satisfied", "asked", 99,
        "接通的回访(每轮完工一次)", "满意", "未表示满意", "次"),
    Kpi("complaint_timeliness", "投诉处理及时率", "投诉及时率", "complaints_timely", "complaints", 100,
        "已派单的投诉", "按时办结", "未按时办结", "件"),
    Kpi("closure", "投诉处理办结率", "投诉办结率", "complaints_closed", "complaints", 100,
        "已派单的投诉", "已办结", "未办结", "件"),
    Kpi("complaint_satisfaction", "投诉处理满意率", "投诉满意率", "complaints_satisfied", "complaints", 100,
        "已派单的投诉", "客户满意", "未表示满意", "件"),
    Kpi("checklist", "十个一执行率", "十个一", "visits_complete", "visits", 100,
        "已结束(一别)的入户服务", "九步全部完成", "有步骤跳过", "次"),
)
BY_CODE = {kpi.code: kpi for kpi in KPIS}


@dataclass(frozen=True)
class Figure:
    """One KPI for one scope: hits out of total, and how it stands against the target."""

    kpi: Kpi
    hits: int
    total: int

    @property
    def misses(self):
        return self.total - self.hits

    @property
    def empty(self):
        return self.total == 0

    @property
    def meets_target(self):
        return self.empty or self.hits * 100 >= self.kpi.target * self.total

    @property
    def percent(self):
        """Rounded down to a tenth, so 100.0% is only ever shown when every one counted."""
        return None if self.empty else self.hits * 1000 // self.total / 10

    @property
    def text(self):
        return "—" if self.empty else f"{self.percent:.1f}%"

    @property
    def few(self):
        """So few that one order moves the rate by more than FEW_SWING points: the page says so."""
        return self.total > 0 and 100 / self.total > FEW_SWING

    @property
    def swing(self):
        """How many percentage points one order moves the rate."""
        return round(100 / self.total) if self.total else 0

    @property
    def verdict(self):
        if self.empty:
            return "本月无数据"
        if self.meets_target:
            return "达标"
        return f"未达标:{self.misses} {self.kpi.unit}{self.kpi.miss_word}"


def figures(row):
    """Every KPI's figure from one row of tallies (a counter row, a sum of them, or a dict)."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    return {kpi.code: Figure(kpi, int(get(kpi.hits) or 0), int(get(kpi.total) or 0)) for kpi in KPIS}


def zero():
    return dict.fromkeys(TALLIES, 0)


def status_counts_as(status):
    """(finished, cancelled): all that the figures read of an order's status. A change of status that keeps
    both (accepted → on the way) moves no figure, and the KPI hook does not recompute the order for it."""
    return status in FINISHED, status == "cancelled"


# The clocks' deadlines and stamps. The figures read them (is_timely, complaint_in_time) only for a finished
# order, so while an order is not finished its clocks move no figure.
CLOCK_COLUMNS = ("contact_due_at", "on_site_due_at", "fixed_due_at", "contacted_at", "arrived_at", "done_at")


def is_finished(status, done_at):
    return status_counts_as(status)[0] and done_at is not None


def finished(order):
    return is_finished(order.status, order.done_at)


def complaint_in_time(order):
    """Closed within the limit: work done by the order's fixed deadline (3 working days by default)."""
    return finished(order) and (order.fixed_due_at is None or order.done_at <= order.fixed_due_at)


@dataclass(frozen=True)
class Answer:
    """One answered callback round of an order, as the figures need it."""

    round: int
    technician_id: int | None
    satisfaction: str  # "" when none was recorded
    solved: bool | None


def reopened_by(answers):
    """Whose round the callback first found not solved (0: nobody's), or None if the order never reopened.
    An unsolved answer always reopens the order (app/callbacks), so this is "was it reopened"."""
    unsolved = [answer for answer in answers if answer.solved is False]
    if not unsolved:
        return None
    return min(unsolved, key=lambda answer: answer.round).technician_id or 0


def order_tallies(order, answers):
    """What the order itself adds: repairs and complaints. `answers`: its answered rounds, by round.

    A repair or complaint the callback found not solved was finished once and failed: it stays counted,
    as a miss, though the reopen restarted its clocks and cleared its stamps.
    """
    tallies = zero()
    failed = reopened_by(answers) is not None
    if order.category in REPAIR_CATEGORIES and (failed or finished(order)):
        tallies["repairs"], tallies["repairs_timely"] = 1, int(not failed and is_timely(order))
    if order.category == COMPLAINT and (failed or order.dispatched_at is not None):
        latest = answers[-1].satisfaction if answers else None
        tallies.update(complaints=1, complaints_closed=int(finished(order)),
                       complaints_timely=int(not failed and complaint_in_time(order)),
                       complaints_satisfied=int(latest == SATISFIED))
    return tallies


def own_share(order, answers):
    """(technician_id, tallies) of what the order itself adds, or None when it adds nothing.

    It goes to the order's technician (0: none) — unless it was reopened: then to the technician of the
    round found not solved, so a second technician who puts it right does not take the failure.
    A cancelled order adds nothing, unless it had failed before it was cancelled.
    """
    failed_by = reopened_by(answers)
    if status_counts_as(order.status)[1] and failed_by is None:
        return None
    tallies = order_tallies(order, answers)
    if not any(tallies.values()):
        return None
    return (order.technician_id or 0) if failed_by is None else failed_by, tallies


def contributions(order, answers, visits):
    """{technician_id: tallies} for one order; each figure goes to whoever did the work it judges.

    - repairs and complaints: `own_share`;
    - every answered callback round: the technician of that round (a customer asked about two rounds
      answered twice). `answers`: `Answer`s by round;
    - each finished visit: the technician who made it. `visits`: (technician_id, no step skipped) pairs;
      a cancelled order's finished visits still count for 十个一.
    """
    rows = {}
    if order.opened_month is None:
        return rows
    share = own_share(order, answers)
    if share is not None:
        rows[share[0]] = share[1]
    for answer in answers:
        row = rows.setdefault(answer.technician_id or 0, zero())
        row["asked"] += 1
        row["satisfied"] += int(answer.satisfaction == SATISFIED)
    for technician_id, complete in visits:
        row = rows.setdefault(technician_id, zero())
        row["visits"] += 1
        row["visits_complete"] += int(complete)
    return rows
