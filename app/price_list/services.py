"""The price list's rules: which version is in force, drafts, items, and publishing.

Changing prices means a new version: copy, edit the draft, publish it with an effective date.
"""
from app.audit.services import record
from app.errors import Conflict, NotFound, ValidationFailed
from app.extensions import db
from app.localtime import local_today, now_utc
from app.price_list.models import CATEGORIES, DRAFT, PUBLISHED, CategoryTerms, PriceItem, PriceListVersion
from app.price_list.money import format_fen

MAX_PRICE_FEN = 100_000_000 - 1  # ¥999,999.99: a line on a home-repair slip never costs more
ITEM_FIELDS = ("code", "name", "specification", "unit", "category", "price_fen", "is_basic_labour_fee",
               "after_sales", "warranty_months", "material_id", "material_centi")
MAX_WARRANTY_MONTHS = 120
STATE_LABELS = {"draft": "草稿", "in_force": "现行", "future": "待生效", "superseded": "已停用"}


def get_version(version_id):
    version = db.session.get(PriceListVersion, version_id)
    if version is None:
        raise NotFound("找不到该价目表。")
    return version


def get_item(version, item_id):
    item = db.session.get(PriceItem, item_id)
    if item is None or item.version_id != version.id:
        raise NotFound("找不到该收费项目。")
    return item


def all_versions():
    order = (PriceListVersion.effective_from.desc().nulls_first(), PriceListVersion.id.desc())
    return db.session.execute(db.select(PriceListVersion).order_by(*order)).scalars().all()


def version_in_force(on_date=None):
    """The published version with the latest effective date on or before the day (today by default).

    Two published for the same day: the one published last wins, so a mistake can be corrected.
    """
    on_date = on_date or local_today()
    return db.session.execute(
        db.select(PriceListVersion)
        .where(PriceListVersion.status == PUBLISHED, PriceListVersion.effective_from <= on_date)
        .order_by(PriceListVersion.effective_from.desc(), PriceListVersion.published_at.desc(),
                  PriceListVersion.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def state_of(version, in_force, today=None):
    if version.is_draft:
        return "draft"
    if in_force is not None and version.id == in_force.id:
        return "in_force"
    return "future" if version.effective_from > (today or local_today()) else "superseded"


def create_draft(actor, name, based_on=None):
    """A new draft, empty or with a copy of `based_on`'s items. :raise 422: the name is taken."""
    if db.session.execute(db.select(PriceListVersion.id).filter_by(name=name)).first():
        raise ValidationFailed(f"已有名为“{name}”的价目表,请换一个名称。", {"name": ["名称已被使用"]})
    version = PriceListVersion(name=name, status=DRAFT, created_by=actor, based_on=based_on)
    db.session.add(version)
    for item in based_on.items if based_on else ():
        version.items.append(PriceItem(**{field: getattr(item, field) for field in ITEM_FIELDS}))
    for terms in based_on.category_terms if based_on else ():
        version.category_terms.append(CategoryTerms(category=terms.category, after_sales=terms.after_sales,
                                                    warranty_months=terms.warranty_months))
    db.session.flush()
    record(actor, "price_list_version", version.id, "create", name=name,
           based_on=based_on.id if based_on else None)
    return version


def require_draft(version):
    """:raise 409: a published version is kept as it was quoted; prices change by a new version."""
    if not version.is_draft:
        raise Conflict("已发布的价目表不能修改;请复制为新草稿,修改后再发布。", code="price_list_published")


def item_problems(version, data, item=None):
    """The rules beyond each field's shape, as {field: [reason]}; item is the one being edited."""
    problems = {}
    if data["price_fen"] > MAX_PRICE_FEN:
        problems["price"] = [f"单价不能超过 {format_fen(MAX_PRICE_FEN)}"]
    if data.get("material_id") and data["category"] not in ("equipment", "fitting", "material"):
        problems["material_code"] = ["只有设备、配件和材料类项目可以对应材料"]
    if data["is_basic_labour_fee"] and data["category"] != "labour":
        problems["is_basic_labour_fee"] = [f"基本人工费须属于“{CATEGORIES['labour']}”类"]
    clash = next((other for other in version.items if other.code == data["code"] and other is not item), None)
    if clash is not None:
        problems["code"] = [f"编码 {data['code']} 已被“{clash.name}”使用"]
    return problems


def save_item(actor, version, data, item=None):
    """Add an item to a draft, or change one; marking it the basic labour fee moves the mark to it."""
    require_draft(version)
    problems = item_problems(version, data, item)
    if problems:
        raise ValidationFailed("请检查标红的内容。", problems)
    if data["is_basic_labour_fee"]:
        take_basic_labour_fee(version, keep=item)
    if item is None:
        item = PriceItem(version=version)
        db.session.add(item)
    for name in ITEM_FIELDS:
        if name in data:  # what a caller leaves out keeps its value (a new item: the column's default)
            setattr(item, name, data[name])
    db.session.flush()
    record(actor, "price_item", item.id, "save", version_id=version.id, code=item.code, price_fen=item.price_fen)
    return item


def take_basic_labour_fee(version, keep=None):
    """Unmark the version's basic labour fee (but `keep`), and flush before anything else is marked."""
    for other in version.items:
        if other.is_basic_labour_fee and other is not keep:
            other.is_basic_labour_fee = False
    db.session.flush()


def delete_item(actor, version, item):
    require_draft(version)
    version.items.remove(item)
    db.session.flush()
    record(actor, "price_item", item.id, "delete", version_id=version.id, code=item.code)


def delete_draft(actor, version):
    require_draft(version)
    record(actor, "price_list_version", version.id, "delete", name=version.name)
    db.session.delete(version)
    db.session.flush()


def publish(actor, version, effective_from, as_of=None):
    """From the effective date on, quotes use this version; it can never change again.

    `as_of`: publish as if it were that day, for loading history (the demo company's past slips).
    """
    require_draft(version)
    problems = publish_problems(version, effective_from, as_of)
    if problems:
        raise ValidationFailed("还不能发布:" + ";".join(m for msgs in problems.values() for m in msgs) + "。",
                               problems)
    version.status = PUBLISHED
    version.effective_from = effective_from
    version.published_at = now_utc()
    version.published_by = actor
    db.session.flush()
    record(actor, "price_list_version", version.id, "publish", effective_from=effective_from.isoformat(),
           items=len(version.items))
    return version


def publish_problems(version, effective_from, as_of=None):
    problems = {}
    if effective_from < (as_of or local_today()):
        problems["effective_from"] = ["生效日期不能早于今天(已开出的单据按当天的价目表计价)"]
    if not version.items:
        problems["items"] = ["价目表中没有收费项目"]
    if version.basic_labour_fee is None:
        problems["is_basic_labour_fee"] = ["须有且只有一项基本人工费"]
    return problems


def grouped_items(version):
    """[(category, label, items)] in the order of CATEGORIES, empty categories left out."""
    ordered = version.items_in_order
    groups = [(category, label, [item for item in ordered if item.category == category])
              for category, label in CATEGORIES.items()]
    return [group for group in groups if group[2]]


def set_category_terms(actor, version, wanted):
    """The after-sales terms of each category of a draft: {category: (terms, months)}; empty terms remove
    them. :raise 409: published. :raise 422: an unknown category, or a period without terms."""
    require_draft(version)
    problems = {}
    for category, (terms, months) in wanted.items():
        if category not in CATEGORIES:
            problems[category] = ["未知类别"]
        elif months and not terms:
            problems[category] = ["填写了保修期,请同时填写售后服务内容"]
        elif not 0 <= months <= MAX_WARRANTY_MONTHS:
            problems[category] = [f"保修期应为 0–{MAX_WARRANTY_MONTHS} 个月"]
    if problems:
        raise ValidationFailed("售后服务设置有误。", problems)
    existing = version.terms_by_category
    for category, (terms, months) in wanted.items():
        row = existing.get(category)
        if not terms:
            if row is not None:
                version.category_terms.remove(row)
            continue
        if row is None:
            row = CategoryTerms(category=category)
            version.category_terms.append(row)
        row.after_sales, row.warranty_months = terms, months
    db.session.flush()
    record(actor, "price_list_version", version.id, "category_terms",
           terms={category: list(pair) for category, pair in sorted(wanted.items())})


def after_sales_lookup(version):
    """price_item_id → (terms, months) in `version`, for the slip (content.after_sales_entries)."""
    items = {item.id: item for item in version.items}
    return lambda item_id: items[item_id].terms if item_id in items else ("", 0)


def terms_text(terms, months):
    """How a slip and the phone write one item's terms: "保修 12 个月,阀体质量问题免费更换"."""
    return f"保修 {months} 个月,{terms}" if months else terms
