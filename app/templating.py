"""What templates may call: time in the company's zone and the Chinese labels; how user text is shown."""
import re

from app.clocks.seasons import late_risk
from app.commands.schemas import COMMAND_LABELS as COMMAND_TYPES
from app.commands.words import command_words
from app.localtime import format_local, now_utc
from app.service_slips.content import PAYMENT_METHODS, SATISFACTION
from app.visits.checklist import ROOMS
from app.work_orders.vocabulary import (
    ACTIONS,
    CATEGORIES,
    CHANNELS,
    STATUSES,
    URGENT_CATEGORIES,
)

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


def isolated(value):
    """Every `{{ … }}` of every page and PDF goes through here. Text carrying bidi embeddings or overrides
    (kept from before they were refused, or in a free-text note) is wrapped in an isolate, so that what it
    reverses ends with it instead of running on into the phone number or 户号 printed after it."""
    if isinstance(value, str) and BIDI_CONTROLS.search(value):
        return FIRST_STRONG_ISOLATE + value + POP_DIRECTIONAL_ISOLATE
    return value


def register_template_helpers(app):
    from app.temperature.standard import celsius_text, flat_meets

    app.jinja_env.finalize = isolated
    app.add_template_filter(format_local, "local")
    app.add_template_filter(command_words, "command_words")
    app.add_template_filter(celsius_text, "celsius")
    app.add_template_global(lambda readings: flat_meets((r.room, r.below_standard) for r in readings), "flat_meets")
    app.add_template_filter(lambda moment: moment.isoformat() if moment else "", "iso")
    app.add_template_global(now_utc, "now_utc")
    app.add_template_global(late_risk, "late_risk")
    app.jinja_env.globals.update(
        CATEGORIES=CATEGORIES,
        CHANNELS=CHANNELS,
        STATUSES=STATUSES,
        ACTIONS=ACTIONS,
        URGENT_CATEGORIES=URGENT_CATEGORIES,
        COMMAND_TYPES=COMMAND_TYPES,
        SLIP_PAYMENT_METHODS=PAYMENT_METHODS,
        SLIP_SATISFACTION=SATISFACTION,
        ROOMS=ROOMS,
    )
