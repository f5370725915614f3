"""Field types every feature's schemas share."""
from datetime import UTC

from marshmallow import fields

from app.localtime import company_zone


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
