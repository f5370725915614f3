"""URL converters: an id in a path is a whole number both databases can hold, or the route does not match."""
from werkzeug.routing import BaseConverter, IntegerConverter

from app.schemas import LARGEST_ID


class IdConverter(IntegerConverter):
    """`<int:…>` everywhere in the app: 1 to LARGEST_ID, so /work-orders/9223372036854775808 is a 404, not a
    query the database cannot run. The OpenAPI document reads the same bounds (flask-smorest maps
    IntegerConverter's min and max)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(url_map, *args, **kwargs)


class AccountNumberConverter(BaseConverter):
    """`<account_number:…>`: a 户号 (3–32 letters, digits or -), or the route does not match (404)."""

    regex = r"[0-9A-Za-z\-]{3,32}"
    DOCUMENTED = {"type": "string", "pattern": r"^[0-9A-Za-z\-]{3,32}$"}


def init_app(app):
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["account_number"] = AccountNumberConverter
