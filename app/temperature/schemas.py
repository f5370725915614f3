from marshmallow import Schema, ValidationError, fields


class ClockTime(fields.Field):
    """"06:00" → minutes after midnight (360); "24:00" is the end of the day."""

    def _deserialize(self, value, attr, data, **kwargs):
        hours, _, minutes = str(value).strip().replace(":", ":").partition(":")
        if not (hours.isascii() and minutes.isascii() and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
            raise ValidationError("时间格式应如 06:00")
        total = int(hours) * 60 + int(minutes)
        if int(minutes) > 59 or total > 24 * 60:
            raise ValidationError("时间应在 00:00–24:00 之间")
        return total


class Celsius(fields.Field):
    """"18" or "16.5" → tenths of a degree."""

    def _deserialize(self, value, attr, data, **kwargs):
        from app.visits.services import tenths_of

        text = str(value).strip()
        whole, _, tenth = text.partition(".")
        if not (text.isascii() and whole.isdigit() and (tenth == "" or (tenth.isdigit() and len(tenth) == 1))):
            raise ValidationError("温度应为数字,最多一位小数,如 18 或 16.5")
        return tenths_of(text)


class RoomStandardIn(Schema):
    day_starts = ClockTime(required=True)
    day_ends = ClockTime(required=True)
    day_min = Celsius(required=True)
    night_min = Celsius(required=True)
