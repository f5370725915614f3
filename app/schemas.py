"""Field types every feature's schemas share."""
from datetime import UTC

from marshmallow import fields, validate

from app.localtime import company_zone

# What a dispatcher or technician reads when a field is wrong: Chinese, short, without jargon.
fields.Field.default_error_messages.update(required="此项必填", null="此项不能为空", validator_failed="内容不符合要求")
fields.Integer.default_error_messages.update(invalid="须为整数")
fields.Number.default_error_messages.update(invalid="须为数字")
fields.String.default_error_messages.update(invalid="须为文字")
fields.Boolean.default_error_messages.update(invalid="须为是或否")
fields.List.default_error_messages.update(invalid="须为列表")
fields.DateTime.default_error_messages.update(invalid="时间格式不正确,应如 2026-11-25T14:30")
CHOOSE_ONE = "请从给定的选项中选择"
# The largest id or count a query parameter may carry: a 32-bit integer, which both databases take.
LARGEST_ID = 2**31 - 1
LAST_PAGE = 100_000  # beyond any list a person pages through; keeps OFFSET far from overflowing
AN_ID = validate.Range(min=1, max=LARGEST_ID, error="没有这个编号")
A_PAGE = validate.Range(min=1, max=LAST_PAGE, error=f"须在 1–{LAST_PAGE} 之间")


def id_number(text, smallest=1, largest=LARGEST_ID):
    """A whole number written in ASCII digits (an id, a page, a limit) from `smallest` to `largest`, or None
    for anything else. Not str.isdigit() alone: "²" is a digit to it but not to int(), and 10**20
    overflows the database."""
    text = text or ""
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(largest))):
        return None
    number = int(text)
    return number if smallest <= number <= largest else None


def length(max_length, min_length=1):
    return validate.Length(min=min_length, max=max_length, error=f"长度须在 {min_length}–{max_length} 字之间")


def one_of(choices):
    return validate.OneOf(list(choices), error=CHOOSE_ONE)


class Moment(fields.DateTime):
    """ISO 8601 in and out. A time without an offset is read as the company's local time."""

    def __init__(self, **kwargs):
        super().__init__(format="iso", **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=company_zone())
        return moment.astimezone(UTC)


def load_form(schema, form):
    """A desk form through an API schema: blank inputs count as not given.

    :raise ValidationFailed: naming each bad field, as the API would.
    """
    from marshmallow import ValidationError

    from app.errors import ValidationFailed

    data = {key: value for key, value in form.items() if value.strip() != ""}
    for name, field in schema.fields.items():
        if isinstance(field, fields.Boolean) and name not in data:
            data[name] = False
    try:
        return schema.load(data, unknown="exclude")
    except ValidationError as error:
        raise ValidationFailed("请检查标红的内容。", error.messages) from error
