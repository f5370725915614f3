"""/api/v1: the field app's only door and the door for integrations, described by OpenAPI."""
from flask_smorest import Api as SmorestApi

from app.errors import handle_http_exception

API_PREFIX = "/api/v1"


class Api(SmorestApi):
    """flask-smorest, answering errors in the one shape the whole app uses."""

    def handle_http_exception(self, error):
        return handle_http_exception(error)


api = Api()


def init_app(app):
    from app.auth.api import blp as session_blp
    from app.callbacks.api import blp as callbacks_blp
    from app.commands.api import blp as commands_blp
    from app.dispatch.api import blp as dispatch_blp
    from app.field.api import blp as bundle_blp
    from app.households.api import blp as households_blp
    from app.photos.api import blp as photos_blp
    from app.price_list.api import blp as price_list_blp
    from app.service_slips.api import blp as slips_blp
    from app.work_orders.api import blp as work_orders_blp
    from app.work_orders.api import me_blp

    api.init_app(app, spec_kwargs={"info": {"description": "Work orders, households, dispatch and my jobs."}})
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie", "name": "session"})
    api.spec.options["security"] = [{"bearer": []}, {"session": []}]
    for blueprint in (session_blp, me_blp, bundle_blp, work_orders_blp, households_blp, dispatch_blp,
                      commands_blp, photos_blp, price_list_blp, slips_blp):
        api.register_blueprint(blueprint, url_prefix=API_PREFIX + blueprint.url_prefix)
    api.register_blueprint(callbacks_blp, url_prefix=API_PREFIX + callbacks_blp.url_prefix)
