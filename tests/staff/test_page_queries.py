"""The staff and organisation pages take the same number of queries for a handful of people and areas as for
many: what each row shows (branch, areas, estates, technicians) is loaded up front, not row by row."""
from app.extensions import db
from tests import factories
from tests.conftest import counted_queries


def grow(branches, areas_each, technicians_each):
    for _ in range(branches):
        branch = factories.branch()
        for _ in range(areas_each):
            area = factories.area(branch)
            factories.estate(area)
            for _ in range(technicians_each):
                factories.technician(area)
    db.session.commit()


def queries(app, client, path):
    with app.app_context(), counted_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_the_pages_cost_the_same_for_few_and_for_many(app, client, world):
    world.as_(client, "admin")
    with app.app_context():
        grow(1, 1, 2)
    few = {path: queries(app, client, path) for path in ("/admin/staff", "/admin/organisation")}
    with app.app_context():
        grow(3, 4, 5)
    many = {path: queries(app, client, path) for path in ("/admin/staff", "/admin/organisation")}
    assert many == few
