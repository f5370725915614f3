"""The printed slip: a signed document as an A4 PDF, one page per copy (一式三联).

How it is rendered, and why:
- HTML from the app's Jinja environment (`templates/service_slips/slip_pdf.html`, autoescaped like
  every page), so callers need an app context: they have one (a request or the CLI), and Beijing
  time needs the app's `SHIFU_TIME_ZONE` anyway. Everything the template shows is worked out here
  (labels, money, quantities, times), so the template only lays it out.
- One `FontConfiguration` and the parsed stylesheet (`slip_pdf.css`) per process, reused by every
  render: building them again each time is most of a naive render's cost. The stylesheet names
  "Noto Sans CJK SC" in every font stack, so no fallback font is picked and embedded by itself.
- Fonts are embedded as subsets (never `full_fonts`), and only one CJK face. WeasyPrint keeps glyph ids
  when it subsets (65,000 empty slots for Noto CJK, 180 KB); `composition.py` subsets the CJK face again
  to the glyphs drawn, under their CIDs (~40 KB). The QR code is a greyscale PNG (an SVG QR costs ~40 ms
  per page to draw).
- Laid out once: the slip is one page, each copy a page holding only its label and footer, and the
  finisher in `composition.py` draws the slip under every label (three pages, one layout, one stream).
- The QR code and signatures are served from memory by a fetcher that refuses every other URL, so
  rendering a slip never reaches the network or the file system.
- A slimmer user-agent stylesheet: WeasyPrint's own minus its rules for `::marker`, `::footnote-*`
  and `::note-*`, which match every element and make WeasyPrint compute six pseudo-element styles
  per element: ~90 ms of a 3-page slip (a slip has no lists, footnotes or notes). It goes in through
  `HTML._ua_stylesheets`, a private hook: should an upgrade rename it, slips still render the same,
  only slower, and `bench/slip_pdf.py` shows it.
- Signatures are flattened onto white and scaled to print size before they are embedded: a phone's
  RGBA canvas would be stored as colour plus an alpha mask at screen size, several times the bytes.
- One render at a time per process: the shared font configuration wraps Pango and fontconfig
  objects that are not documented as thread-safe, and two renders in threads would share one core
  under the GIL anyway. Production runs one thread per worker, so the lock costs nothing there.
"""
import functools
import io
import re
import threading
from datetime import datetime
from pathlib import Path

import qrcode
import tinycss2
from flask import render_template
from PIL import Image, ImageFile
from qrcode.image.pil import PilImage
from weasyprint import CSS, HTML
from weasyprint.html import UA, UA_COUNTER_STYLE
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from app.localtime import format_local
from app.materials.services import units_text
from app.price_list.money import format_fen
from app.price_list.services import terms_text
from app.service_slips import composition
from app.service_slips.content import COPIES, PAYMENT_METHODS, SATISFACTION
from app.temperature.standard import DEFAULT as SEED_STANDARD
from app.temperature.standard import celsius_text, flat_meets
from app.visits.checklist import FAULT_LOCATIONS, RESOLUTIONS, ROOMS
from app.work_orders.vocabulary import CATEGORIES

# WeasyPrint's import switches Pillow to accept truncated images for the whole process; the slip
# draws only our own PNGs, and the photos' checks must not depend on what was imported before.
ImageFile.LOAD_TRUNCATED_IMAGES = False

TEMPLATE = "service_slips/slip_pdf.html"
STYLESHEET = Path(__file__).resolve().parents[2] / "templates" / "service_slips" / "slip_pdf.css"
COPY_KEEPERS = {"customer": "交客户留存", "branch": "分公司存档", "service_department": "客服部存档"}
SUPPLIED_BY = {"customer": "自备", "company": "公司提供"}
MEMORY = "memory:"  # the only URLs a slip may load: its own images, handed to the fetcher
SIGNATURE_PIXELS = (600, 240)  # printed at most 50 × 20 mm: about 300 dpi
# The template's indentation between tags: each run would become a box for WeasyPrint to build and
# discard (~5% of a render). Only markup is touched: text from the slip reaches the HTML escaped,
# so it holds no "<" or ">".
INDENTATION = re.compile(r">\s+<")

_render_lock = threading.Lock()


def render_slip(document, copies=None, composed=True):
    """The slip as PDF bytes: one A4 page per copy, in the order given (default: the document's).

    `composed`: the slip laid out once and drawn under each copy's label (composition.py); False lays every
    page out in full, as a browser would print it (the tests compare the two).
    Needs an app context (template, time zone). :raise ValueError: for a copy not in `content.COPIES`.
    """
    known = {code: (number, name) for code, number, name in COPIES}
    wanted = copies or document.copies
    if unknown := [code for code in wanted if code not in known]:
        raise ValueError(f"unknown copies: {unknown}")
    labels = [{"number": known[code][0], "name": known[code][1], "keeper": COPY_KEEPERS[code]} for code in wanted]
    if composed:
        pages = [{"slip": True}] + [{"label": label} for label in labels]
    else:
        pages = [{"slip": True, "label": label} for label in labels]
    images = {"qr": qr_png(document.verify_url)}
    images.update({f"signature-{party}": printable_signature(png) for party, png in document.signatures.items()})
    html = render_template(TEMPLATE, slip=slip_view(document), pages=pages, composed=composed, memory=MEMORY)
    try:
        return _write_pdf(INDENTATION.sub("><", html), images, len(labels) if composed else 0)
    except composition.Overflow:  # more than a page of slip (never seen): each copy laid out in full
        return render_slip(document, copies, composed=False)


def render_trivial():
    """A one-page document through the same fonts and stylesheets: the floor a slip is measured against."""
    return _write_pdf('<html lang="zh-CN"><body><p>客户服务单</p></body></html>', {})


def _write_pdf(html, images, labels=0):
    font_config, stylesheet, user_agent = _renderer()
    page = SlipHTML(user_agent, string=html, url_fetcher=MemoryFetcher(images))
    with _render_lock:
        try:
            return page.write_pdf(stylesheets=[stylesheet], font_config=font_config,
                                  finisher=functools.partial(composition.finish, labels=labels))
        except FatalURLFetchingError as error:  # a BaseException: it would take the worker down with it
            raise RuntimeError(f"slip PDF refused a resource: {error}") from error


@functools.cache
def _renderer():
    """The process's font configuration and stylesheets, built on first use and shared by every render."""
    font_config = FontConfiguration()
    stylesheet = CSS(string=STYLESHEET.read_text(encoding="utf-8"), font_config=font_config)
    rules = tinycss2.parse_stylesheet(UA, skip_comments=True, skip_whitespace=True)
    user_agent = CSS(string=tinycss2.serialize(rule for rule in rules if not _every_element_pseudo(rule)),
                     font_config=font_config, counter_style=UA_COUNTER_STYLE)
    return font_config, stylesheet, user_agent


def _every_element_pseudo(rule):
    return rule.type == "qualified-rule" and tinycss2.serialize(rule.prelude).lstrip().startswith("::")


class SlipHTML(HTML):
    """A page rendered with the slim user-agent stylesheet."""

    def __init__(self, user_agent, **kwargs):
        super().__init__(**kwargs)
        self._user_agent = user_agent

    def _ua_stylesheets(self, forms=False):
        return [self._user_agent]


class MemoryFetcher(URLFetcher):
    """Serves `memory:<name>` from a dict of PNGs; any other URL stops the render."""

    def __init__(self, resources):
        super().__init__(fail_on_errors=True)
        self.resources = resources

    def fetch(self, url, headers=None):
        name = url.removeprefix(MEMORY) if url.startswith(MEMORY) else None
        if name not in self.resources:
            raise ValueError(f"a slip loads only its own images, not {url[:80]!r}")
        return URLFetcherResponse(url, self.resources[name], {"Content-Type": "image/png"})


def qr_png(url):
    """The verification link as a greyscale PNG: 4 px per module, the standard 4-module quiet zone."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=4,
                         image_factory=PilImage)
    code.add_data(url)
    out = io.BytesIO()
    code.make_image().get_image().convert("L").save(out, "PNG")
    return out.getvalue()


def printable_signature(png):
    """Strokes on white, greyscale, at most print size: what a printer needs, a fraction of the bytes."""
    with Image.open(io.BytesIO(png)) as image:
        paper = Image.new("L", image.size, 255)
        if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
            strokes = image.convert("RGBA")
            paper.paste(strokes.convert("L"), mask=strokes.getchannel("A"))
        else:
            paper.paste(image.convert("L"))
    paper.thumbnail(SIGNATURE_PIXELS, Image.BILINEAR, reducing_gap=None)
    out = io.BytesIO()
    paper.save(out, "PNG")
    return out.getvalue()


def slip_view(document):
    """What the template shows, worked out from the signed content and the slip's record."""
    content = document.content
    repair = content["repair"]
    readings = [_reading(reading) for reading in content["readings"]]
    return {
        "serial": document.serial,
        "company_name": document.company_name,
        "hotline": document.hotline,
        "complaint_line": document.complaint_line,
        "content_sha256": document.content_sha256,
        "voided": document.status == "voided",
        "void_reason": document.void_reason,
        "replaced_by": document.replaced_by,
        "replaces": content.get("replaces"),
        "order": content["order"],
        "category": CATEGORIES.get(content["order"]["category"], content["order"]["category"]),
        "customer": content["customer"],
        "technician": content["technician"],
        "branch": content["branch"],
        "times": _times(document),
        "signed_at": format_local(document.signed_at),
        "fault_location": FAULT_LOCATIONS.get(repair["fault_location"], repair["fault_location"]),
        "resolution": RESOLUTIONS.get(repair["resolution"], repair["resolution"]),
        "repair": repair,
        "charged": content["charged"],
        "free_label": _free_label(repair),
        "lines": [_line(item) for item in content["lines"]],
        "total": format_fen(content["total_fen"]),
        "total_in_capitals": content["total_in_capitals"],
        "payment": PAYMENT_METHODS.get(content["payment"]["method"], content["payment"]["method"]),
        "collected": format_fen(content["payment"]["collected_fen"]),
        "readings": readings,
        "readings_meet": flat_meets((reading["room"], reading["low"]) for reading in readings),
        "after_sales": [f"{entry['name']}:{terms_text(entry['terms'], entry['months'])}"
                        for entry in content.get("after_sales", [])],
        "company_materials": [company_material_text(entry) for entry in content.get("company_materials", [])],
        "damages": content["damages"],
        "satisfaction": [(label, code == content["feedback"]["satisfaction"]) for code, label in SATISFACTION.items()],
        "comment": content["feedback"]["comment"],
        "clause": content["clause"],
        "signed": {party: f"{MEMORY}signature-{party}" for party in document.signatures},
    }


def _times(document):
    """The visit's times; the signing time is printed beside the signatures."""
    moments = (("报修时间", document.reported_at), ("到场时间", document.arrived_at),
               ("完工时间", document.finished_at))
    return [(label, format_local(moment)) for label, moment in moments if moment is not None]


def _free_label(repair):
    if repair["fault_location"] == "company":
        return "免费维修(公司产权范围)"
    return f"免费({RESOLUTIONS.get(repair['resolution'], repair['resolution'])})"


def _line(item):
    return {
        "name": " ".join(part for part in (item["name"], item["specification"]) if part),
        "supplied_by": SUPPLIED_BY.get(item["supplied_by"], item["supplied_by"]),
        "quantity": f"{units_text(item['quantity_centi'])} {item['unit']}",
        "unit_price": format_fen(item["unit_price_fen"]),
        "amount": format_fen(item["amount_fen"]),
        "own_materials_fee": item["added_for_own_materials"],
    }


def company_material_text(entry):
    """A material the company bore (公司承担): "铜截止阀 DN20 × 1 个"."""
    name = " ".join(part for part in (entry["name"], entry["specification"]) if part)
    return f"{name} × {units_text(entry['quantity_centi'])} {entry['unit']}"


def degrees_text(tenths):
    """Tenths of a degree as "18.5 °C"."""
    sign = "-" if tenths < 0 else ""
    whole, tenth = divmod(abs(tenths), 10)
    return f"{sign}{whole}.{tenth} °C"


def _reading(reading):
    """A reading with the time it was measured and the standard then; a slip signed before readings
    carried them (document v1) was judged against 18 °C."""
    minimum = reading.get("minimum_tenths", SEED_STANDARD.day_min_tenths)
    measured = reading.get("measured_at")
    return {
        "room": ROOMS.get(reading["room"], reading["room"]),
        "temperature": degrees_text(reading["tenths"]),
        "time": format_local(datetime.fromisoformat(measured), "%H:%M") if measured else "",
        "minimum": celsius_text(minimum),
        "low": reading["tenths"] < minimum,
    }
