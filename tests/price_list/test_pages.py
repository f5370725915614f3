"""The desk pages: the admin keeps the price list; dispatchers and back office read it; technicians may not."""
import io
import re

import pytest

from app.auth.models import User
from app.extensions import db
from app.price_list import services
from app.price_list.models import PriceListVersion
from tests.price_list.conftest import BASIC_FEE, LABOUR, VALVE, committed, draft

NEW_ITEM = {"code": "pj-001", "name": "铜球阀", "specification": "DN15", "unit": "个", "category": "fitting",
            "price": "35"}


def _versions(app, admin_id):
    """A published version in force and a draft copied from it: (published id, draft id)."""

    def build():
        admin = db.session.get(User, admin_id)
        published = services.publish(admin, draft(admin, [VALVE, BASIC_FEE, LABOUR]), services.local_today())
        return published.id, services.create_draft(admin, "调价稿", based_on=published).id

    return committed(app, build)


def _version(app, version_id):
    with app.app_context():
        version = db.session.get(PriceListVersion, version_id)
        return {i.code: (i.price_fen, i.is_basic_labour_fee) for i in version.items}, version.status


@pytest.mark.parametrize(("role", "status"), [("dispatcher", 200), ("back_office", 200), ("admin", 200),
                                              ("technician", 403)])
def test_desk_roles_read_the_price_list_and_technicians_may_not(app, client, world, role, status):
    published_id, draft_id = _versions(app, world["admin"])
    world.as_(client, role)
    for path in ("/price-list", f"/price-list/{published_id}", f"/price-list/{draft_id}",
                 f"/price-list/{published_id}/export.csv", f"/price-list/{published_id}/export.xlsx"):
        assert client.get(path).status_code == status, path


@pytest.mark.parametrize("role", ["dispatcher", "back_office", "technician"])
def test_only_the_admin_changes_the_price_list(app, client, world, role):
    published_id, draft_id = _versions(app, world["admin"])
    world.as_(client, role)
    writes = [("", {"name": "新稿"}), (f"/{draft_id}/items", NEW_ITEM), (f"/{draft_id}/publish", {}),
              (f"/{draft_id}/delete", {}), (f"/{draft_id}/import", {})]
    for path, data in writes:
        assert client.post(f"/price-list{path}", data=data).status_code == 403, path
    assert _version(app, draft_id)[1] == "draft"


def test_the_version_page_groups_items_by_category_with_prices_in_yuan(app, client, world):
    published_id, _draft_id = _versions(app, world["admin"])
    page = world.as_(client, "dispatcher").get(f"/price-list/{published_id}").get_data(as_text=True)
    assert re.findall(r'scope="rowgroup" colspan="\d">(\S+) ', page) == ["配件", "人工"]
    assert "¥45.00" in page and "¥60.00" in page
    assert "基本人工费</span>" in page and "现行" in page
    assert "修改</a>" not in page and "复制为新草稿" not in page and "<form" not in page.split("</header>")[1]


def test_the_admin_adds_edits_and_deletes_items_in_a_draft(app, client, world):
    _published_id, draft_id = _versions(app, world["admin"])
    world.as_(client, "admin")
    assert client.post(f"/price-list/{draft_id}/items", data=NEW_ITEM).status_code == 302
    items, _status = _version(app, draft_id)
    assert items["PJ-001"] == (3500, False)
    with app.app_context():
        item_id = db.session.execute(db.select(PriceListVersion).filter_by(id=draft_id)).scalar_one().items[0].id
    form = client.get(f"/price-list/{draft_id}/items/{item_id}").get_data(as_text=True)
    assert 'name="price" value="35.00"' in form
    edited = client.post(f"/price-list/{draft_id}/items/{item_id}", data={**NEW_ITEM, "price": "¥1,234.50"})
    assert edited.status_code == 302 and _version(app, draft_id)[0]["PJ-001"] == (123450, False)
    assert client.post(f"/price-list/{draft_id}/items/{item_id}/delete").status_code == 302
    assert "PJ-001" not in _version(app, draft_id)[0]


def test_a_bad_item_is_shown_again_with_the_reason(app, client, world):
    _published_id, draft_id = _versions(app, world["admin"])
    response = world.as_(client, "admin").post(f"/price-list/{draft_id}/items", data={**NEW_ITEM, "price": "12.345"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "金额最多两位小数(到分)" in page and 'value="12.345"' in page and 'aria-invalid="true"' in page


def test_a_published_version_refuses_edits_with_409(app, client, world):
    published_id, _draft_id = _versions(app, world["admin"])
    world.as_(client, "admin")
    with app.app_context():
        item_id = db.session.get(PriceListVersion, published_id).items[0].id
    for path, data in ((f"/{published_id}/items", NEW_ITEM), (f"/{published_id}/items/{item_id}", NEW_ITEM),
                       (f"/{published_id}/items/{item_id}/delete", {}), (f"/{published_id}/delete", {}),
                       (f"/{published_id}/publish", {"effective_from": "2099-01-01"})):
        response = client.post(f"/price-list{path}", data=data)
        assert response.status_code == 409, path
        assert "已发布的价目表不能修改" in response.get_data(as_text=True)
    assert client.get(f"/price-list/{published_id}/items/{item_id}").status_code == 409


def test_the_admin_copies_the_version_in_force_and_publishes_the_copy(app, client, world):
    published_id, _draft_id = _versions(app, world["admin"])
    world.as_(client, "admin")
    created = client.post("/price-list", data={"name": "2027 价目表", "based_on_id": str(published_id)})
    new_id = int(created.headers["Location"].rsplit("/", 1)[1])
    assert _version(app, new_id) == (_version(app, published_id)[0], "draft")
    with app.app_context():
        today = services.local_today().isoformat()
    assert client.post(f"/price-list/{new_id}/publish", data={"effective_from": today}).status_code == 302
    assert _version(app, new_id)[1] == "published"
    page = client.get("/price-list").get_data(as_text=True)
    assert "已停用" in page and "现行" in page


def test_publishing_without_a_basic_labour_fee_is_refused_with_the_reason(app, client, world):
    def build():
        return draft(db.session.get(User, world["admin"]), [VALVE]).id

    draft_id = committed(app, build)
    world.as_(client, "admin")
    response = client.post(f"/price-list/{draft_id}/publish", data={"effective_from": "2099-01-01"},
                           follow_redirects=True)
    assert "还不能发布:须有且只有一项基本人工费。" in response.get_data(as_text=True)
    assert _version(app, draft_id)[1] == "draft"


def _upload(client, draft_id, text, dry_run):
    data = {"file": (io.BytesIO(text.encode("gbk")), "价目表.csv")}
    if dry_run:
        data["dry_run"] = "1"
    return client.post(f"/price-list/{draft_id}/import", data=data, content_type="multipart/form-data")


def test_an_import_shows_its_report_and_a_dry_run_saves_nothing(app, client, world):
    _published_id, draft_id = _versions(app, world["admin"])
    world.as_(client, "admin")
    text = ("编码,名称,规格,单位,类别,单价(元),基本人工费\n"
            "PJ-002,铜球阀,DN20,个,配件,48,否\nPJ-009,弯头,,个,配件,1.999,否\n")
    checked = _upload(client, draft_id, text, dry_run=True)
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200 and "预检结果" in page and "这是预检,什么都没有保存" in page
    assert "第 3 行" in page and "金额最多两位小数(到分)" in page and "1.999" in page
    assert _version(app, draft_id)[0]["PJ-002"] == (4500, False)
    done = _upload(client, draft_id, text, dry_run=False).get_data(as_text=True)
    assert "导入结果" in done and "更新 1 项" in done and "拒绝 1 行" in done
    assert _version(app, draft_id)[0]["PJ-002"] == (4800, False)


def test_an_unreadable_file_is_refused_with_the_reason(app, client, world):
    _published_id, draft_id = _versions(app, world["admin"])
    response = _upload(world.as_(client, "admin"), draft_id, "名称\n铜球阀\n", dry_run=False)
    assert response.status_code == 302
    assert "导入失败" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_exports_download_as_csv_and_xlsx(app, client, world):
    published_id, _draft_id = _versions(app, world["admin"])
    world.as_(client, "dispatcher")
    csv = client.get(f"/price-list/{published_id}/export.csv")
    assert csv.mimetype == "text/csv" and "attachment" in csv.headers["Content-Disposition"]
    assert csv.data.decode("utf-8-sig").startswith("编码,名称")
    xlsx = client.get(f"/price-list/{published_id}/export.xlsx")
    assert xlsx.data[:2] == b"PK"


def test_copying_starts_from_the_chosen_version_and_names_stay_unique(app, client, world):
    published_id, _draft_id = _versions(app, world["admin"])
    world.as_(client, "admin")
    form = client.get(f"/price-list?based_on={published_id}").get_data(as_text=True)
    assert f'<option value="{published_id}" selected>' in form and "autofocus" in form
    again = client.post("/price-list", data={"name": "调价稿", "based_on_id": str(published_id)},
                        follow_redirects=True)
    assert "新建草稿:名称已被使用。" in again.get_data(as_text=True)
