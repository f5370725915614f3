"""Everything the printed slip shows, gathered in one value so the renderer needs no database."""
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class SlipDocument:
    serial: str  # CD-2026-000137, the same on all three copies
    status: str  # signed | voided
    content: dict  # the signed document (docs/slips.md), exactly as hashed
    content_sha256: str
    signatures: dict  # party ("customer" | "technician") → PNG bytes, as signed
    verify_url: str  # what the QR code opens: <public url>/v/<token>
    company_name: str
    hotline: str
    complaint_line: str
    signed_at: datetime  # UTC; shown in Beijing time
    reported_at: datetime | None = None
    arrived_at: datetime | None = None
    finished_at: datetime | None = None
    void_reason: str | None = None
    replaced_by: str | None = None  # the serial of the slip that replaces a voided one
    copies: tuple = field(default=("customer", "branch", "service_department"))
