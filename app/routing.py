"""URL converters: an id in a path is a whole number both databases can hold, or the route does not match."""
from werkzeug.routing import IntegerConverter

from app.schemas import LARGEST_ID


class IdConverter(IntegerConverter):
    """`<int:…>` everywhere in the app: 1 to LARGEST_ID, so /work-orders/9223372036854775808 is a 404, not a
    query the database cannot run. The OpenAPI document reads the same bounds (flask-smorest maps
    IntegerConverter's min and max)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(url_map, *args, **kwargs)


def init_app(app):
    app.url_map.converters["int"] = IdConverter
