"""From a stored slip to its PDF: gathered into a SlipDocument, rendered once, kept in storage.

Rendering happens outside the signing transaction (on the first request for the PDF); the file is
kept under a key made of everything the page shows, so a void or a revoked QR code prints anew and
an unchanged slip is never rendered twice.
"""
import hashlib
import json
from functools import lru_cache
from pathlib import Path

from flask import current_app, has_request_context, request

from app import jobs
from app.extensions import db
from app.files.storage import storage
from app.service_slips.document import SlipDocument
from app.service_slips.models import Slip

LAYOUT_FILES = ("app/service_slips/pdf.py", "app/service_slips/composition.py",
                "templates/service_slips/slip_pdf.html", "templates/service_slips/slip_pdf.css")
FALLBACK_URL = "http://127.0.0.1:5000"


def public_base_url():
    configured = current_app.config.get("SHIFU_PUBLIC_URL")
    if configured:
        return configured
    return request.host_url.rstrip("/") if has_request_context() else FALLBACK_URL


def verify_url(slip, base_url=None):
    return f"{base_url or public_base_url()}/v/{slip.verify_token}"


def document_of(slip, base_url=None):
    order = slip.work_order
    return SlipDocument(
        serial=slip.serial, status=slip.status, content=json.loads(slip.content),
        content_sha256=slip.content_sha256,
        signatures={s.party: s.png for s in slip.signatures},  # pdf.py redraws them from their pixels
        verify_url=verify_url(slip, base_url), company_name=current_app.config["SHIFU_COMPANY_NAME"],
        hotline=current_app.config["SHIFU_HOTLINE"], complaint_line=current_app.config["SHIFU_COMPLAINT_LINE"],
        signed_at=slip.signed_at,
        reported_at=order.created_at, arrived_at=order.arrived_at, finished_at=slip.visit.finished_at,
        void_reason=slip.void_reason, replaced_by=slip.replaced_by.serial if slip.replaced_by else None,
    )


def pdf_key(slip, copies=None, base_url=None):
    return f"slips/{slip.content_sha256[:16]}/{_look(slip, copies, base_url)}.pdf"


def stored_pdf(slip, copies=None):
    """The slip's PDF as already rendered for how it looks now, else None."""
    return storage().read(pdf_key(slip, copies))


def pdf_of(slip, copies=None, base_url=None):
    """The slip's PDF (all three copies, or those named), rendered at most once per look: the key is made of
    everything the page shows, so rendering again finds the same object and leaves it."""
    from app.service_slips.pdf import render_slip  # WeasyPrint loads only where a PDF is made

    key, files = pdf_key(slip, copies, base_url), storage()
    cached = files.read(key)
    if cached is not None:
        return cached
    data = render_slip(document_of(slip, base_url), copies)
    files.write(key, data)
    return data


PRINTED = (None, ("customer",))  # what the desk and the phone print: the three copies, the customer's copy


def render(slip_id, base_url=None):
    """A job: the slip's PDFs rendered into the store (retried by the queue if it fails). `base_url`: where
    the QR code points, as the request that asked for it saw the site (a worker has no request)."""
    slip = db.session.get(Slip, slip_id)
    if slip is None:
        raise LookupError(f"slip {slip_id} not found")
    for copies in PRINTED:
        pdf_of(slip, copies, base_url)


def render_later(slip):
    """Ask the queue to render the slip's PDFs (once while a render is waiting); False when there is no queue."""
    return jobs.later(render, slip.id, public_base_url(),
                      job_id=f"slip-pdf-{slip.id}-{_look(slip, None)[:12]}") is not None


def _look(slip, copies, base_url=None):
    """Everything a printed page shows besides the signed content, so any change prints anew."""
    config = current_app.config
    parts = [slip.content_sha256, slip.status, slip.void_reason or "",
             slip.replaced_by.serial if slip.replaced_by else "", verify_url(slip, base_url),
             config["SHIFU_COMPANY_NAME"], config["SHIFU_HOTLINE"], config["SHIFU_COMPLAINT_LINE"],
             config["SHIFU_TIME_ZONE"], ",".join(copies or ()), _layout_version()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


@lru_cache(maxsize=1)
def _layout_version():
    """A change to the template or the renderer prints slips anew instead of serving old files."""
    root = Path(current_app.root_path).parent
    digest = hashlib.sha256()
    for name in LAYOUT_FILES:
        path = root / name
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:12]
