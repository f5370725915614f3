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

from app.files.storage import storage
from app.service_slips.document import SlipDocument

LAYOUT_FILES = ("app/service_slips/pdf.py", "templates/service_slips/slip_pdf.html",
                "templates/service_slips/slip_pdf.css")
FALLBACK_URL = "http://127.0.0.1:5000"


def public_base_url():
    configured = current_app.config.get("SHIFU_PUBLIC_URL")
    if configured:
        return configured
    return request.host_url.rstrip("/") if has_request_context() else FALLBACK_URL


def verify_url(slip):
    return f"{public_base_url()}/v/{slip.verify_token}"


def document_of(slip):
    order = slip.work_order
    return SlipDocument(
        serial=slip.serial, status=slip.status, content=json.loads(slip.content),
        content_sha256=slip.content_sha256,
        signatures={s.party: s.png for s in slip.signatures},  # pdf.py redraws them from their pixels
        verify_url=verify_url(slip), company_name=current_app.config["SHIFU_COMPANY_NAME"],
        hotline=current_app.config["SHIFU_HOTLINE"], complaint_line=current_app.config["SHIFU_COMPLAINT_LINE"],
        signed_at=slip.signed_at,
        reported_at=order.created_at, arrived_at=order.arrived_at, finished_at=slip.visit.finished_at,
        void_reason=slip.void_reason, replaced_by=slip.replaced_by.serial if slip.replaced_by else None,
    )


def pdf_of(slip, copies=None):
    """The slip's PDF (all three copies, or those named), rendered at most once per look."""
    from app.service_slips.pdf import render_slip  # WeasyPrint loads only where a PDF is made

    key = f"slips/{slip.content_sha256[:16]}/{_look(slip, copies)}.pdf"
    files = storage()
    cached = files.read(key)
    if cached is not None:
        return cached
    data = render_slip(document_of(slip), copies)
    files.write(key, data)
    return data


def _look(slip, copies):
    """Everything a printed page shows besides the signed content, so any change prints anew."""
    config = current_app.config
    parts = [slip.content_sha256, slip.status, slip.void_reason or "",
             slip.replaced_by.serial if slip.replaced_by else "", verify_url(slip), config["SHIFU_COMPANY_NAME"],
             config["SHIFU_HOTLINE"], config["SHIFU_COMPLAINT_LINE"], config["SHIFU_TIME_ZONE"],
             ",".join(copies or ()), _layout_version()]
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
