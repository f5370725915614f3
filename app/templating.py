"""What templates may call: time in the company's zone and the Chinese labels."""
from app.commands.schemas import COMMAND_LABELS as COMMAND_TYPES
from app.localtime import format_local, now_utc
from app.service_slips.content import PAYMENT_METHODS, SATISFACTION
from app.work_orders.vocabulary import (
    ACTIONS,
    CATEGORIES,
    CHANNELS,
    STATUSES,
    URGENT_CATEGORIES,
)


def register_template_helpers(app):
    app.add_template_filter(format_local, "local")
    app.add_template_filter(lambda moment: moment.isoformat() if moment else "", "iso")
    app.add_template_global(now_utc, "now_utc")
    app.jinja_env.globals.update(
        CATEGORIES=CATEGORIES,
        CHANNELS=CHANNELS,
        STATUSES=STATUSES,
        ACTIONS=ACTIONS,
        URGENT_CATEGORIES=URGENT_CATEGORIES,
        COMMAND_TYPES=COMMAND_TYPES,
        SLIP_PAYMENT_METHODS=PAYMENT_METHODS,
        SLIP_SATISFACTION=SATISFACTION,
    )
