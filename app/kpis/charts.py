"""Chart geometry for server-drawn SVG (templates/kpis/_charts.html): no script, no library.

Percent axes start near the lowest figure rather than at zero, because the KPIs live between 90 and
100 %; every chart says where its axis starts, draws dots and lines rather than bars (a bar from a
cut axis would lie about its length), and the same numbers are in a table beside it.
"""
from dataclasses import dataclass, field

from app.kpis.months import label, short_label

SHAPES = ("circle", "square", "diamond", "triangle")


def axis_floor(percents, target):
    """The axis starts at a round number below the lowest figure (and the target): 80 for 85.3 %."""
    low = min([target, *percents])
    return max(0, min(90, int((low - 2) // 10 * 10)))


def ticks(floor):
    span = 100 - floor
    step = 2 if span <= 10 else 5 if span <= 20 else 10 if span <= 50 else 20
    return list(range(100, floor - 1, -step))


@dataclass
class Scale:
    floor: int
    start: float  # pixel of the floor
    end: float  # pixel of 100 %

    def at(self, percent):
        return round(self.start + (percent - self.floor) / (100 - self.floor) * (self.end - self.start), 1)


@dataclass
class Point:
    x: float
    y: float
    month: int
    figure: object

    @property
    def label(self):
        return f"{label(self.month)} {self.figure.text}"


@dataclass
class Trend:
    kpi: object
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    target_y: float
    points: list
    lines: list  # polylines, broken where a month has no data
    yticks: list  # (y, text)
    xticks: list  # (x, text)
    floor: int
    months: int


def trend(kpi, months, width=340, height=180, left=44, right=20, top=14, bottom=30):
    percents = [f[kpi.code].percent for _, f in months if not f[kpi.code].empty]
    y = Scale(axis_floor(percents, kpi.target), height - bottom, top)
    step = (width - left - right) / max(1, len(months) - 1)
    points, lines, line = [], [], []
    for index, (month, figures) in enumerate(months):
        figure, x = figures[kpi.code], round(left + index * step, 1)
        if figure.empty:
            line = []
            continue
        points.append(Point(x, y.at(figure.percent), month, figure))
        if not line:
            lines.append(line)
        line.append(f"{x},{points[-1].y}")
    # Beyond eight months every other one is named (the latest always): twelve do not fit a small chart.
    every = 2 if len(months) > 8 else 1
    xticks = [(round(left + i * step, 1), short_label(month)) for i, (month, _) in enumerate(months)
              if (len(months) - 1 - i) % every == 0]
    return Trend(kpi, width, height, left, right, top, bottom, y.at(kpi.target), points,
                 [" ".join(line) for line in lines if len(line) > 1],
                 [(y.at(t), f"{t}%") for t in ticks(y.floor)], xticks, y.floor, len(months))


@dataclass
class Sparkline:
    width: int
    height: int
    target_y: float
    line: str
    last: Point | None


def sparkline(kpi, months, width=128, height=36):
    chart = trend(kpi, months, width, height, left=4, right=6, top=5, bottom=5)
    return Sparkline(width, height, chart.target_y, " ".join(chart.lines),
                     chart.points[-1] if chart.points and chart.points[-1].month == months[-1][0] else None)


@dataclass
class Mark:
    name: str
    shape: str
    series: int
    x: float
    y: float
    figure: object


@dataclass
class Group:
    kpi: object
    y: float
    target_x: float
    marks: list = field(default_factory=list)


@dataclass
class Comparison:
    width: int
    height: int
    left: int
    plot_end: int
    groups: list
    xticks: list
    legend: list  # (name, shape, series)
    floor: int
    row: int


def comparison(kpis, rows, width=760, left=170, right=150, row=22, gap=14, top=30):
    """Branches side by side: one band per KPI, one line per branch, a dot at its figure."""
    percents = [r.figures[k.code].percent for k in kpis for r in rows if not r.figures[k.code].empty]
    x = Scale(axis_floor(percents, min(k.target for k in kpis)), left, width - right)
    groups, y = [], top
    for kpi in kpis:
        group = Group(kpi, y, x.at(kpi.target))
        for series, r in enumerate(rows):
            figure = r.figures[kpi.code]
            if not figure.empty:
                group.marks.append(Mark(r.label, SHAPES[series % len(SHAPES)], series % len(SHAPES),
                                        x.at(figure.percent), y + row * (series + 0.5), figure))
        groups.append(group)
        y += row * len(rows) + gap
    legend = [(r.label, SHAPES[i % len(SHAPES)], i % len(SHAPES)) for i, r in enumerate(rows)]
    return Comparison(width, y + 6, left, width - right, groups, [(x.at(t), f"{t}%") for t in ticks(x.floor)],
                      legend, x.floor, row)
