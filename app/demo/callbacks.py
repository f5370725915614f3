"""Demo callbacks (回访): moved back in time with their order, and a few pending ones already worked."""
from app.callbacks import services as callbacks
from app.callbacks import windows
from app.demo import data
from app.extensions import db
from app.service_slips import services as slips
from app.work_orders.models import WorkOrder


def shift_callbacks(order, policy, delta):
    """Back with the order; each window is placed again from the new completion (the night rule applies)."""
    for callback in callbacks.rounds_of(order):
        callback.completed_at -= delta
        callback.due_from, callback.due_by = windows.for_policy(callback.completed_at, policy)
        if callback.answered_at is not None:
            callback.answered_at -= delta


def work_callbacks(back_office):
    """A call that did not get through, and customers' own ratings from the slip's QR page.
    Each only once, so a second load adds nothing."""
    for description, note in data.CALLBACK_NOT_REACHED.items():
        callback = callbacks.pending_for(_order(description))
        if callback is not None and not callback.attempts:
            callbacks.not_reached(callback, back_office, note)
    for description, (satisfaction, solved, comment) in data.SLIP_RATINGS.items():
        slip = slips.current_slip(_order(description).id)
        if slip is not None and slip.rating is None:
            slips.rate(slip, satisfaction, comment, solved)


def _order(description):
    return db.session.execute(db.select(WorkOrder).filter_by(description=description)).scalar_one()
