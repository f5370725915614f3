"""Field types every feature's schemas share."""
import re
from datetime import UTC

from marshmallow import ValidationError, fields, validate

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
    number = digits(text or "")
    return number if number is not None and smallest <= number <= largest else None


class Id(fields.Integer):
    """A row's id in JSON: a number without a fraction from 1 to LARGEST_ID (0.5, 21.0, "21" and true are
    refused, not rounded or converted)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validate", AN_ID)
        super().__init__(strict=True, **kwargs)


class Flag(fields.Boolean):
    """Yes or no in JSON: true or false, not 1, "on" or "yes" (a desk form's checkbox goes through load_form)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):  # 0 == False, so the truthy and falsy sets cannot refuse 0 and 1
            raise self.make_error("invalid")
        return value


CHECKED = ("1", "true", "on", "y", "yes")


class TextId(Id):
    """An id in a query string or a multipart form: its ASCII digits."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = digits(value)
            if value is None:
                raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


def digits(text):
    """The number written in ASCII digits, or None. int() of a very long string is slow (CVE-2020-10735);
    anything longer than the largest id is simply too large."""
    if not (text.isascii() and text.isdigit()):
        return None
    return int(text) if len(text) <= len(str(LARGEST_ID)) else LARGEST_ID + 1


def length(max_length, min_length=1):
    return validate.Length(min=min_length, max=max_length, error=f"长度须在 {min_length}–{max_length} 字之间")


# What makes a line of text lie about itself: C0 and C1 controls and DEL (a terminal's escape, a bell, a
# line break inside a name), and the bidi marks, embeddings, overrides and isolates that reorder what is
# shown after them (a name ending in U+202E prints the phone number that follows it backwards).
HIDDEN_CHARACTERS = r"\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
HIDDEN = re.compile(f"[{HIDDEN_CHARACTERS}]")
# What the OpenAPI document says of such a line, and of any other text: none of them / no NUL (which
# security.where_nul_is refuses in every request, as PostgreSQL cannot store it).
NO_HIDDEN_PATTERN = f"^[^{HIDDEN_CHARACTERS}]*$"
NO_NUL_PATTERN = r"^[^\x00]*$"


def no_hidden(text):
    if HIDDEN.search(text):
        raise ValidationError("不能含控制字符或文字方向符")
    return True


def line(max_length, min_length=1):
    """One line of what people read and dial: a name, an address part, a unit."""
    return [length(max_length, min_length), no_hidden]


# Not only white space, in a pattern that Python and the OpenAPI document's (ECMAScript) regexes read alike:
# one character that neither counts as a space (Python also counts \x1c–\x1f and \x85), and no NUL.
NOT_BLANK = validate.Regexp(r"^[^\x00]*[^\s\x00\x1c-\x1f\x85][^\x00]*$", error="不能只有空白")
NOT_BLANK_JSON = {"type": "string", "minLength": 1, "pattern": NOT_BLANK.regex.pattern}


def text(max_length):
    """Free text that must say something: a description, a reason."""
    return [length(max_length), NOT_BLANK]


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


def load_dropping(schema, raw):
    """(data, names of the fields dropped): filters from a link, where one that does not parse (a hand-edited
    URL, a stale bookmark) is dropped with a word to the user rather than failing the whole page."""
    try:
        return schema.load(raw, unknown="exclude"), []
    except ValidationError as error:
        bad = sorted(error.messages)
        return schema.load({key: value for key, value in raw.items() if key not in bad}, unknown="exclude"), bad


def load_form(schema, form):
    """A desk form through an API schema: blank inputs count as not given.

    :raise ValidationFailed: naming each bad field, as the API would.
    """
    from marshmallow import ValidationError

    from app.errors import ValidationFailed

    data = {key: value for key, value in form.items() if not isinstance(value, str) or value.strip() != ""}
    for name, field in schema.fields.items():
        if isinstance(field, fields.Boolean) and name not in data:
            data[name] = False
        elif isinstance(field, Flag) and name in data:
            data[name] = data[name].strip().lower() in CHECKED  # a ticked checkbox sends its value
        if isinstance(field, Id) and name in data and digits(data[name]) is not None:
            data[name] = digits(data[name])  # a form sends text; the schema takes the number
    try:
        return schema.load(data, unknown="exclude")
    except ValidationError as error:
        raise ValidationFailed("请检查标红的内容。", error.messages) from error
