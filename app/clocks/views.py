"""The admin's pages for the clocks: what each category starts, and the holiday calendar they count by."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.access import roles_required
from app.clocks import calendar, seasons, services
from app.clocks.schemas import KIND_WORKING, CalendarDaysIn, SeasonIn
from app.errors import ValidationFailed, refusal
from app.extensions import db
from app.localtime import local_today
from app.schemas import id_number, load_form
from app.work_orders.vocabulary import CATEGORIES

bp = Blueprint("clocks", __name__, url_prefix="/admin")
YEARS = range(calendar.FIRST_YEAR, calendar.LAST_YEAR + 1)


@bp.get("/clocks")
@roles_required("admin")
def policies():
    return render_template(
        "clocks/policies.html", policies=[services.policy_for(c) for c in CATEGORIES], errors={}
    )


@bp.post("/clocks/<category>")
@roles_required("admin")
def update(category):
    with refusal(ValidationFailed) as refused:
        limits = {name: _whole_number(request.form.get(name, "")) for name in services.LIMIT_FIELDS}
        callback = {"hours": _whole_number(request.form.get("callback_hours", "")),
                    "after_hours": _whole_number(request.form.get("callback_after_hours", "")),
                    "daytime_only": bool(request.form.get("callback_daytime_only"))}
        services.update_policy(current_user, category, limits, bool(request.form.get("by_appointment")), callback)
    if refused.error:
        flash(f"{CATEGORIES.get(category, category)}:{refused.error.message}", "error")
    else:
        db.session.commit()
        flash(f"{CATEGORIES[category]}的时限已保存:工单时限对此后受理的工单生效,回访时限对此后完工的工单生效。",
              "success")
    return redirect(url_for("clocks.policies"))


def _whole_number(text):
    if not text.strip():
        return None
    number = id_number(text.strip(), smallest=0)
    if number is None:
        raise ValidationFailed("时限须为正整数,或留空表示不计时。")
    return number


@bp.get("/calendar")
@roles_required("admin")
def calendar_page():
    """This year and next, or the `?year=` chosen."""
    return _calendar_page(request.args.get("year", type=int))


@bp.post("/calendar")
@roles_required("admin")
def add_calendar_days():
    with refusal(ValidationFailed) as refused:
        data = load_form(CalendarDaysIn(), request.form)
        entries = calendar.add_days(current_user, data["first"], data["last"], KIND_WORKING[data["kind"]],
                                    data["name"])
    if refused.error:
        flash(refused.error.message, "error")
        return _calendar_page(None, 422, request.form, refused.error.fields)
    db.session.commit()
    first, last = entries[0], entries[-1]
    span = first.day.isoformat() + (f" 至 {last.day.isoformat()}" if last is not first else "")
    flash(f"已添加 {span} {calendar.KINDS[first.working]}({first.name}),共 {len(entries)} 天;"
          "此后受理的工单按此计算时限。", "success")
    return redirect(_year_url(first.day.year))


@bp.post("/calendar/season")
@roles_required("admin")
def set_season():
    """供暖季 of a year: decides how early a technician running late must tell the customer."""
    with refusal(ValidationFailed) as refused:
        data = load_form(SeasonIn(), request.form)
        season = seasons.set_season(current_user, data["starts_on"], data["ends_on"])
    if refused.error:
        flash("供暖季:" + refused.error.message, "error")
        return redirect(url_for("clocks.calendar_page", _anchor="season"))
    db.session.commit()
    flash(f"供暖季 {season.starts_on.isoformat()} 至 {season.ends_on.isoformat()} 已保存。", "success")
    return redirect(url_for("clocks.calendar_page", _anchor="season"))


@bp.post("/calendar/<int:entry_id>/delete")
@roles_required("admin")
def delete_calendar_day(entry_id):
    entry = calendar.delete_day(current_user, entry_id)
    db.session.commit()
    flash(f"已删除 {calendar.describe(entry)};此后受理的工单按此计算时限。", "success")
    return redirect(_year_url(entry.day.year))


def _calendar_page(year, status=200, form=None, errors=None):
    this_year = _this_year()
    shown = (year,) if year is not None and year in YEARS else (this_year, this_year + 1)
    choices = sorted(set(calendar.years_entered()) | set(range(this_year - 2, this_year + 3)))
    return render_template(
        "clocks/calendar.html", by_year=calendar.entries_by_year(shown), year=shown[0] if len(shown) == 1 else None,
        choices=choices, form=form or {}, errors=errors or {}, kinds=calendar.KINDS, weekday=calendar.weekday_label,
        seasons=seasons.seasons(), default_season=seasons.default_season(local_today()),
    ), status


def _this_year():
    return local_today().year


def _year_url(year):
    """Back to the default view when it shows `year`, else to that year's."""
    return url_for("clocks.calendar_page", year=None if year - _this_year() in (0, 1) else year)
