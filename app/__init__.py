"""Shifu 师傅: field service for district-heating companies."""
import os

from dotenv import load_dotenv

from app import routing
from app.config import ROOT, load_settings
from app.conflicts import RetryingFlask


def create_app(test_config=None):
    load_dotenv(ROOT / ".env")
    app = RetryingFlask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(load_settings(app.instance_path).as_flask_config())
    app.json.sort_keys = False  # keep the order we chose: checklist steps, rooms, labels
    if test_config:
        app.config.update(test_config)
    trust_proxies(app)
    routing.init_app(app)  # before any blueprint: rules take their converters when added
    register_extensions(app)
    register_blueprints(app)
    register_hooks(app)
    register_cli(app)
    return app


def trust_proxies(app):
    """Behind nginx, believe its X-Forwarded-* headers (scheme for secure cookies, address for rate limits)."""
    count = app.config["SHIFU_PROXY_COUNT"]
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def register_extensions(app):
    from app import database
    from app.config import ROOT
    from app.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    with app.app_context():
        database.configure_sqlite(db.engine)
    import app.models


def register_blueprints(app):
    from app import api
    from app.auth.views import bp as auth_bp
    from app.branches.views import bp as organisation_bp
    from app.callbacks.views import bp as callbacks_bp
    from app.clocks.views import bp as clocks_bp
    from app.dispatch.views import bp as dispatch_bp
    from app.field.views import bp as field_bp
    from app.households.views import bp as households_bp
    from app.imports.views import bp as imports_bp
    from app.kpis.views import bp as kpis_bp
    from app.materials.views import bp as stock_bp
    from app.price_list.views import bp as price_list_bp
    from app.reconciliation.views import bp as reconciliation_bp
    from app.search.views import bp as search_bp
    from app.service_slips.views import bp as slips_bp
    from app.staff.views import bp as staff_bp
    from app.temperature.views import bp as temperature_bp
    from app.visits.views import bp as visits_bp
    from app.work_orders.views import bp as work_orders_bp

    for blueprint in (auth_bp, dispatch_bp, work_orders_bp, clocks_bp, visits_bp, field_bp, price_list_bp,
                      slips_bp, reconciliation_bp, callbacks_bp, kpis_bp, search_bp, temperature_bp, organisation_bp,
                      staff_bp, households_bp, imports_bp, stock_bp):
        app.register_blueprint(blueprint)
    api.init_app(app)


def register_hooks(app):
    from app import compression, operations, security
    from app.errors import register_error_handlers
    from app.templating import register_template_helpers

    operations.init_app(app)  # first: the request's id and clock start before anything else runs
    compression.init_app(app)  # after-request hooks run last-registered first: this one after security's
    security.init_app(app)
    register_error_handlers(app)
    register_template_helpers(app)


def register_cli(app):
    from app.auth.cli import register as register_auth_cli
    from app.backup import register as register_backup_cli
    from app.demo.cli import register as register_demo_cli
    from app.files.cli import register as register_files_cli
    from app.jobs import register as register_jobs_cli
    from app.kpis.cli import register as register_kpis_cli
    from app.service_slips.cli import register as register_slips_cli

    register_auth_cli(app)
    register_demo_cli(app)
    register_slips_cli(app)
    register_kpis_cli(app)
    register_files_cli(app)
    register_jobs_cli(app)
    register_backup_cli(app)
