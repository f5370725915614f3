"""The room temperature standard (000 七): 06:00–21:00 at least 18 °C, at other times never below 16 °C.

A company setting (/admin/room-standard). Each reading keeps the minimum that applied when it was taken,
so a later change of the setting never rewrites what a customer signed. The phone judges a reading taken
offline by the same rule from its bundle (static/js/field/standard.js)."""
from dataclasses import dataclass

from app.audit.services import record
from app.errors import ValidationFailed
from app.extensions import db
from app.localtime import company_zone, to_local
from app.temperature.models import RoomStandard


@dataclass(frozen=True)
class Standard:
    day_starts: int = 6 * 60
    day_ends: int = 21 * 60
    day_min_tenths: int = 180
    night_min_tenths: int = 160

    def minimum_at(self, moment):
        """The minimum in tenths of a degree at an aware `moment`, by the company's clock."""
        local = to_local(moment)
        minute = local.hour * 60 + local.minute
        return self.day_min_tenths if self.day_starts <= minute < self.day_ends else self.night_min_tenths

    @property
    def day_hours(self):
        return f"{clock_text(self.day_starts)}–{clock_text(self.day_ends)}"

    def describe(self):
        """"06:00–21:00 不低于 18 °C,其他时间不低于 16 °C": what the phone, the order and the slip say."""
        if self.day_starts == 0 and self.day_ends == 24 * 60:
            return f"全天不低于 {celsius_text(self.day_min_tenths)}"
        return (f"{self.day_hours} 不低于 {celsius_text(self.day_min_tenths)},"
                f"其他时间不低于 {celsius_text(self.night_min_tenths)}")

    def as_bundle(self):
        """With the zone whose clock it is read by, so a phone set to another zone judges alike."""
        return {"day_starts": self.day_starts, "day_ends": self.day_ends, "day_min_tenths": self.day_min_tenths,
                "night_min_tenths": self.night_min_tenths, "text": self.describe(),
                "time_zone": company_zone().key}


DEFAULT = Standard()


def clock_text(minutes):
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def celsius_text(tenths):
    """Tenths of a degree as people write them: 180 → "18 °C", 165 → "16.5 °C"."""
    sign = "-" if tenths < 0 else ""
    whole, tenth = divmod(abs(tenths), 10)
    return f"{sign}{whole}{'.' + str(tenth) if tenth else ''} °C"


def flat_meets(readings):
    """Whether the flat meets the standard: each room by its last reading (17.6 °C, then 18.5 °C after the
    radiator was bled, meets it). `readings`: (room, below_standard) in the order measured."""
    last = {}
    for room, low in readings:
        last[room] = low
    return not any(last.values())


def current():
    row = db.session.execute(db.select(RoomStandard).limit(1)).scalar_one_or_none()
    if row is None:
        return DEFAULT
    return Standard(row.day_starts, row.day_ends, row.day_min_tenths, row.night_min_tenths)


def set_standard(actor, day_starts, day_ends, day_min_tenths, night_min_tenths):
    """:raise ValidationFailed: a day that ends before it starts, a night standard above the day's, or
    a temperature no flat is held to (below 10 °C or above 30 °C)."""
    fields = {}
    if not 0 <= day_starts < day_ends <= 24 * 60:
        fields["day_ends"] = ["白天的结束时间须晚于开始时间"]
    for name, tenths in (("day_min", day_min_tenths), ("night_min", night_min_tenths)):
        if not 100 <= tenths <= 300:
            fields[name] = ["应在 10–30 °C 之间"]
    if not fields and night_min_tenths > day_min_tenths:
        fields["night_min"] = ["夜间标准不能高于白天标准"]
    if fields:
        raise ValidationFailed("室温标准有误。", fields)
    row = db.session.execute(db.select(RoomStandard).limit(1)).scalar_one_or_none() or RoomStandard()
    row.day_starts, row.day_ends, row.day_min_tenths, row.night_min_tenths = (day_starts, day_ends,
                                                                             day_min_tenths, night_min_tenths)
    row.updated_by_id = actor.id
    db.session.add(row)
    db.session.flush()
    record(actor, "room_standard", row.id, "set", day_starts=day_starts, day_ends=day_ends,
           day_min_tenths=day_min_tenths, night_min_tenths=night_min_tenths)
    return current()
