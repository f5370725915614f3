"""The board pages its ids first, sorted on the (status, deadline) index, then loads the details of that page
only: the work does not grow with the open backlog, and pages neither repeat nor skip an order when
deadlines tie."""
from datetime import timedelta

from sqlalchemy import text

from app.auth.models import User
from app.extensions import db
from app.work_orders import queries
from app.work_orders.models import WorkOrder
from tests import factories
from tests.conftest import counted_queries


def open_orders(count, household):
    orders = [factories.work_order(household) for _ in range(count)]
    db.session.flush()
    return orders


def test_pages_follow_the_deadline_and_never_repeat_an_order_when_deadlines_tie(ctx, world):
    household = db.session.get(WorkOrder, world["order"]).household
    orders = open_orders(7, household)
    same = orders[0].next_due_at
    for order in orders:  # one deadline, one appointment, one moment of opening for all seven
        order.next_due_at, order.created_at = same, orders[0].created_at
    db.session.flush()
    dispatcher = db.session.get(User, world["dispatcher"])
    seen = []
    for page in (1, 2, 3, 4):
        seen += [order.id for order in queries.page_of(queries.filtered(dispatcher), page, 3)["items"]]
    everything = db.session.execute(queries.filtered(dispatcher).order_by(*queries.BY_DEADLINE)).scalars().all()
    assert seen == [order.id for order in everything]
    assert len(seen) == len(set(seen)) == 9  # the seven and the world's two
    tied = [id_ for id_ in seen if id_ in {order.id for order in orders}]
    assert tied == sorted(tied)


def test_the_page_is_in_deadline_order_with_its_details_loaded(ctx, world):
    household = db.session.get(WorkOrder, world["order"]).household
    orders = open_orders(5, household)
    for minutes, order in zip((50, 10, 40, 20, 30), orders, strict=True):
        order.next_due_at = orders[0].created_at + timedelta(minutes=minutes)
    orders[0].next_due_at = None  # no deadline: last
    db.session.flush()
    page = queries.page_of(queries.filtered(db.session.get(User, world["dispatcher"])), 1, 50)
    deadlines = [order.next_due_at for order in page["items"]]
    assert deadlines[-1] is None and deadlines[:-1] == sorted(deadlines[:-1])
    with counted_queries() as statements:
        [(order.household.estate.name, order.branch.name, order.area.name) for order in page["items"]]
    assert statements == []


def test_the_board_costs_the_same_queries_for_a_long_backlog(app, client, world):
    def board_queries():
        with app.app_context(), counted_queries() as statements:
            assert world.as_(client, "dispatcher").get("/dispatch/board?clear=1").status_code == 200
        return len(statements)

    with app.app_context():
        household = db.session.get(WorkOrder, world["order"]).household
        open_orders(3, household)
        db.session.commit()
    few = board_queries()
    with app.app_context():
        open_orders(30, db.session.get(WorkOrder, world["order"]).household)
        db.session.commit()
    assert board_queries() == few


def test_the_ids_are_sorted_from_the_index_alone_on_sqlite(ctx, world):
    if db.engine.dialect.name != "sqlite":
        return  # PostgreSQL chooses by its statistics; bench/backlog.sh measures it
    statement = queries.filtered(db.session.get(User, world["dispatcher"])).with_only_columns(WorkOrder.id)
    compiled = statement.order_by(*queries.BY_DEADLINE).limit(200).compile(
        db.engine, compile_kwargs={"literal_binds": True})
    plan = " ".join(row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "COVERING INDEX ix_work_orders_status_deadline" in plan, plan
