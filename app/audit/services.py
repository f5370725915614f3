from datetime import datetime

from app.audit.models import AuditEvent
from app.extensions import db


def _jsonable(value):
    return value.isoformat() if isinstance(value, datetime) else value


def record(actor, entity, entity_id, action, **data):
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        entity=entity,
        entity_id=entity_id,
        action=action,
        data={key: _jsonable(value) for key, value in data.items()},
    )
    db.session.add(event)
    return event
