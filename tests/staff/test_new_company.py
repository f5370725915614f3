"""Issue 10's whole story, over HTTP as the desk does it: a new company starts with `flask setup`, creates two
branches and four areas, imports 100,000 households from a GBK file Excel wrote (its estates created in the
same step under the areas the file names), creates ten technicians with their areas and a dispatcher — who
each choose their own password — and takes its first hotline call, routed to the right technician."""
import re

from app.auth.models import User
from app.branches.models import Area, Branch
from app.extensions import db
from app.households.models import Household
from app.imports.models import HouseholdImport
from app.work_orders.models import WorkOrder
from tests.conftest import sign_in

ROWS = 100_000
AREAS = {"CD": ("城东分公司", ("河东片区", "东丽片区")), "CX": ("城西分公司", ("新华片区", "西站片区"))}


def signed_in(app, username):
    client = app.test_client()
    with app.app_context():
        sign_in(client, db.session.execute(db.select(User).filter_by(username=username)).scalar_one())
    return client


def first_password(page):
    return re.search(r'id="first-password">([^<]+)<', page).group(1)


def billing_file(path, area_names):
    with open(path, "w", encoding="gbk", newline="") as out:
        out.write("用户编号,户名,联系电话,小区名称,楼栋,单元号,房号,供热面积,片区\r\n")
        for n in range(ROWS):
            estate = n % 40
            out.write(f"{10_000_000 + n},住户{n},139{n:08d},小区{estate},{n % 30 + 1},{n % 4 + 1},{n % 25 + 1}01,"
                      f"72.3,{area_names[estate % 4]}\r\n")


def test_a_new_company_gets_from_an_empty_install_to_its_first_call(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "SHIFU_JOBS_INLINE", True)
    setup = app.test_cli_runner().invoke(args=["setup", "--username", "boss", "--name", "周总"],
                                         input="company-2026\ncompany-2026\n")
    assert setup.exit_code == 0, setup.output
    admin = signed_in(app, "boss")

    for code, (name, areas) in AREAS.items():
        assert admin.post("/admin/organisation/branches", data={"name": name, "code": code}).status_code == 302
        with app.app_context():
            branch_id = db.session.execute(db.select(Branch.id).filter_by(code=code)).scalar_one()
        for area in areas:
            assert admin.post(f"/admin/organisation/branches/{branch_id}/areas", data={"name": area}).status_code == 302
    area_names = [a for _code, (_name, areas) in AREAS.items() for a in areas]

    path = tmp_path / "收费系统导出.csv"
    billing_file(path, area_names)
    with open(path, "rb") as stream:
        answer = admin.post("/households/imports", data={"file": (stream, path.name)},
                            content_type="multipart/form-data")
    import_id = int(answer.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        found = db.session.get(HouseholdImport, import_id)
        mapping = {field: str(index + 1) for field, index in found.mapping.items()}
        assert found.encoding == "gb18030" and set(mapping) >= {"account_number", "area"}
    admin.post(f"/households/imports/{import_id}/mapping", data=mapping)  # the dry run
    with app.app_context():
        found = db.session.get(HouseholdImport, import_id)
        assert (found.status, found.added, found.rejected, len(found.unknown_estates)) == ("checked", ROWS, 0, 40)
        area_ids = dict(db.session.execute(db.select(Area.name, Area.id)).all())
        chosen = {f"estate-{i}": str(area_ids[found.unknown_estates[name]["area"]])
                  for i, name in enumerate(sorted(found.unknown_estates))}
    admin.post(f"/households/imports/{import_id}/apply", data=chosen)
    with app.app_context():
        assert db.session.get(HouseholdImport, import_id).status == "imported"
        assert db.session.execute(db.select(db.func.count()).select_from(Household)).scalar_one() == ROWS

    passwords = {}
    with app.app_context():
        areas = {a.name: (a.id, a.branch_id) for a in db.session.execute(db.select(Area)).scalars()}
    for n in range(10):
        area_id, branch_id = areas[area_names[n % 4]]
        form = {"role": "technician", "name": f"师傅{n}", "badge_number": f"T{7000 + n}", "phone": f"1350000{n:04d}",
                "branch_id": str(branch_id), "area_ids": [str(area_id)]}
        page = admin.post("/admin/staff", data=form).get_data(as_text=True)
        passwords[f"T{7000 + n}"] = first_password(page)
    page = admin.post("/admin/staff", data={"role": "dispatcher", "name": "刘调度", "username": "liu"})
    passwords["liu"] = first_password(page.get_data(as_text=True))

    dispatcher = signed_in(app, "liu")
    assert dispatcher.get("/dispatch/intake").status_code == 302  # a first password comes first
    dispatcher.post("/account/password", data={"current": passwords["liu"], "new": "liu-own-2026",
                                               "again": "liu-own-2026"})
    with app.app_context():
        caller = db.session.execute(db.select(Household).filter_by(account_number="10000005")).scalar_one()
        caller_id, caller_area = caller.id, caller.estate.area_id
    proposal = dispatcher.get(f"/api/v1/dispatch/proposal?household_id={caller_id}").get_json()
    technician_id = proposal["proposed"]["id"]
    answer = dispatcher.post("/dispatch/intake", data={"household_id": str(caller_id), "channel": "hotline",
                                                       "category": "repair", "description": "暖气不热",
                                                       "technician_id": str(technician_id)})
    assert answer.status_code == 302
    with app.app_context():
        order = db.session.execute(db.select(WorkOrder)).scalar_one()
        technician = db.session.get(User, technician_id)
        assert (order.status, order.area_id, order.technician_id) == ("dispatched", caller_area, technician_id)
        assert caller_area in [a.id for a in technician.areas]
