"""/api/v1: the field app's only door and the door for integrations, described by OpenAPI."""
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint as SmorestBlueprint
from marshmallow import Schema, fields

from app.errors import handle_http_exception
from app.routing import AccountNumberConverter
from app.schemas import NO_HIDDEN_PATTERN, NO_NUL_PATTERN, no_hidden

API_PREFIX = "/api/v1"


class ErrorOut(Schema):
    """Every error under /api/ (docs/api.md): a stable code, a sentence for people, the fields at fault."""

    error = fields.Str(required=True, metadata={"description": "stable snake_case code, e.g. validation_failed"})
    message = fields.Str(required=True, metadata={"description": "what went wrong, in Chinese, for people"})
    fields_ = fields.Dict(required=True, data_key="fields",
                          metadata={"description": "field name → messages; {} when none"})


class Blueprint(SmorestBlueprint):
    """An error response documented without a schema is documented with the one error body."""

    def alt_response(self, status_code, response=None, *, schema=None, **kwargs):
        if response is None and schema is None and int(status_code) >= 400:
            schema = ErrorOut
        return super().alt_response(status_code, response, schema=schema, **kwargs)

    def errors(self, described):
        """A decorator documenting each `status: description` of `described` as an error answer."""

        def document(view):
            for status, description in described.items():
                view = self.alt_response(status, description=description)(view)
            return view

        return document


# Component name → JSON Schema keywords that marshmallow fields cannot say (a reason required only to
# cancel): the document states every rule of shape the server enforces, so that a request it allows is
# never refused as malformed (schemathesis checks exactly that in make test).
SCHEMA_RULES = {}


def schema_rule(**keywords):
    """Class decorator: these keywords join the schema's component in /api/v1/openapi.json."""

    def register(schema):
        SCHEMA_RULES[schema.__name__] = keywords
        return schema

    return register


class Api(SmorestApi):
    """flask-smorest, answering errors in the one shape the whole app uses, and documenting that shape."""

    ERROR_SCHEMA = ErrorOut

    def add_schema_rules(self):
        """Once every blueprint is registered (their schemas are components by then): the rules join them,
        for /api/v1/openapi.json and `flask openapi write` alike."""
        for name, keywords in SCHEMA_RULES.items():
            self.spec.components.schemas[name].update(keywords)

    def handle_http_exception(self, error):
        return handle_http_exception(error)


api = Api()


def documented_text(_converter, field, ret, **_kwargs):
    """What a string's pattern in the document adds to its schema: a line that no_hidden guards refuses
    control and bidi characters, and any other text NUL (security.where_nul_is). The document's reader
    (and schemathesis) then never sends what the server refuses."""
    if not isinstance(field, fields.String) or "pattern" in ret or "enum" in ret or "format" in ret:
        return {}
    validators = field.validators
    return {"pattern": NO_HIDDEN_PATTERN if no_hidden in validators else NO_NUL_PATTERN}


def init_app(app):
    from app.auth.api import blp as session_blp
    from app.branches.api import blp as organisation_blp
    from app.callbacks.api import blp as callbacks_blp
    from app.commands.api import blp as commands_blp
    from app.dispatch.api import blp as dispatch_blp
    from app.field.api import blp as bundle_blp
    from app.households.api import blp as households_blp
    from app.materials.api import blp as materials_blp
    from app.photos.api import blp as photos_blp
    from app.price_list.api import blp as price_list_blp
    from app.service_slips.api import blp as slips_blp
    from app.staff.api import blp as staff_blp
    from app.work_orders.api import blp as work_orders_blp
    from app.work_orders.api import me_blp

    api.init_app(app, spec_kwargs={"info": {"description": "Work orders, households, dispatch and my jobs."}})
    api.register_converter(AccountNumberConverter, lambda _converter: AccountNumberConverter.DOCUMENTED)
    api.ma_plugin.converter.add_attribute_function(documented_text)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie", "name": "session"})
    api.spec.options["security"] = [{"bearer": []}, {"session": []}]
    for blueprint in (session_blp, me_blp, bundle_blp, work_orders_blp, households_blp, dispatch_blp,
                      commands_blp, photos_blp, price_list_blp, slips_blp):
        api.register_blueprint(blueprint, url_prefix=API_PREFIX + blueprint.url_prefix)
    api.register_blueprint(callbacks_blp, url_prefix=API_PREFIX + callbacks_blp.url_prefix)
    for blueprint in (organisation_blp, staff_blp, materials_blp):
        api.register_blueprint(blueprint, url_prefix=API_PREFIX + blueprint.url_prefix)
    api.add_schema_rules()
