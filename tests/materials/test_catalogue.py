"""The material catalogue: kept by an admin (a storekeeper for their own branch), one code per material, an
export that imports again unchanged, and price items that name the material their line takes."""
import io

import pytest
from openpyxl import load_workbook

from app.errors import Forbidden, RuleBroken
from app.extensions import db
from app.materials import catalogue
from app.materials import services as stock
from app.materials.models import Material
from app.price_list import imports as price_imports
from app.price_list import services as price_list
from app.price_list import sheets
from tests import factories
from tests.price_list.conftest import BASIC_FEE, VALVE, draft


def data(**given):
    return {"code": "FM-DN20", "name": "铜截止阀", "specification": "DN20", "unit": "个", "whole_units": True,
            "cost_fen": 4200, "min_stock_centi": 1000, "branch_id": None, "active": True, **given}


def test_an_admin_keeps_every_branchs_materials_and_a_storekeeper_only_their_own(ctx):
    branch, other = factories.branch(code="CD"), factories.branch(code="CX")
    keeper = factories.user("storekeeper", branch_=branch)
    shared = catalogue.save(factories.user("admin"), data())
    own = catalogue.save(keeper, data(code="CD-1", branch_id=other.id))  # the form's branch is not theirs to choose
    assert own.branch_id == branch.id
    for actor, material in ((keeper, shared), (factories.user("dispatcher"), own)):
        with pytest.raises(Forbidden), db.session.begin_nested():
            catalogue.save(actor, data(code=material.code, name="改名"), material)
    assert shared.name == "铜截止阀"


@pytest.mark.parametrize("case", ["code_taken", "fractional_minimum", "unknown_branch"])
def test_a_material_against_the_rules_is_refused(ctx, case):
    admin = factories.user("admin")
    catalogue.save(admin, data())
    wrong = {"code_taken": data(), "fractional_minimum": data(code="X-1", min_stock_centi=150),
             "unknown_branch": data(code="X-2", branch_id=999999)}[case]
    with pytest.raises(RuleBroken), db.session.begin_nested():
        catalogue.save(admin, wrong)
    assert db.session.execute(db.select(db.func.count()).select_from(Material)).scalar_one() == 1


def test_a_material_whose_books_hold_fractions_keeps_counting_in_fractions(ctx):
    admin = factories.user("admin")
    pipe = catalogue.save(admin, data(code="CL-1", unit="米", whole_units=False, min_stock_centi=0))
    stock.move(admin, "receipt", pipe, 150, target=stock.store_of(factories.branch()))
    with pytest.raises(RuleBroken) as refused:
        catalogue.save(admin, data(code="CL-1", unit="米", whole_units=True, min_stock_centi=0), pipe)
    assert "不足一个单位" in refused.value.fields["whole_units"][0]


def test_the_export_imports_again_unchanged_and_an_edited_row_updates_one_material(ctx):
    admin = factories.user("admin")
    factories.branch(code="CD", name="城东分公司")
    catalogue.save(admin, data())
    catalogue.save(admin, data(code="CL-PPR20", name="PPR 管", unit="米", whole_units=False, cost_fen=650,
                               min_stock_centi=2550))
    exported = catalogue.workbook(db.session.execute(db.select(Material).order_by(Material.code)).scalars())
    report = catalogue.import_file(admin, "材料目录.xlsx", io.BytesIO(exported))
    assert (report.added, sorted(report.updated), report.rejected) == ([], ["CL-PPR20", "FM-DN20"], [])
    book = load_workbook(io.BytesIO(exported))
    sheet = book.active
    sheet["F2"] = "26.50"  # the pipe's cost
    sheet["H2"] = "CD"
    sheet.append(["X-9", "=1+1", "", "个", "是", "abc", "", "", "是"])
    edited = io.BytesIO()
    book.save(edited)
    report = catalogue.import_file(admin, "材料目录.xlsx", io.BytesIO(edited.getvalue()))
    pipe = db.session.execute(db.select(Material).filter_by(code="CL-PPR20")).scalar_one()
    assert (pipe.cost_fen, pipe.branch.code, pipe.min_stock_centi) == (2650, "CD", 2550)
    assert [row for row, _reason in report.rejected] == [4]


def test_a_dry_run_keeps_nothing(app):
    with app.app_context():
        admin = factories.user("admin")
        db.session.commit()
        csv = "编码,名称,单位,成本价(元)\nFM-1,阀,个,12\n".encode()
        report = catalogue.import_file(admin, "m.csv", io.BytesIO(csv), dry_run=True)
        assert report.added == ["FM-1"]
        assert db.session.execute(db.select(Material)).first() is None


def test_a_price_item_names_its_material_by_code_in_the_form_and_in_the_file(ctx):
    admin = factories.user("admin")
    valve = catalogue.save(admin, data(code="PJ-002"))
    version = draft(admin, items=(BASIC_FEE,))
    from app.price_list.schemas import PriceItemIn

    item = price_list.save_item(admin, version, PriceItemIn().load(
        {**{k: str(v) for k, v in VALVE.items() if k not in ("price_fen", "is_basic_labour_fee")},
         "price": "45", "material_code": "pj-002", "material_quantity": "2"}))
    assert (item.material_id, item.material_centi) == (valve.id, 200)
    rows = sheets.read_rows("p.csv", sheets.to_csv(version))
    assert sorted(fields.get("material_code") for _n, fields in rows) == ["", "PJ-002"]
    wrong = "编码,名称,单位,类别,单价(元),材料编码\nPJ-003,阀,个,配件,45,NOPE\nRG-9,人工,次,人工,10,PJ-002\n"
    report = price_imports.import_file(admin, version, "p.csv", wrong.encode(), dry_run=True)
    assert {problem.column for problem in report.rejected} == {"材料编码"} and report.rejected_rows == 2
