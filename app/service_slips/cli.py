"""`flask slips …`: the register for the back office, and reprints."""
from pathlib import Path

import click

from app.errors import NotFound
from app.extensions import db
from app.localtime import format_local
from app.price_list.money import format_fen
from app.service_slips import content, printing, services
from app.service_slips.models import Slip


def register(app):
    @app.cli.group("slips")
    def slips():
        """Service slips (客户服务单)."""

    @slips.command("list")
    @click.option("--branch", "branch_code", help="Only this branch's slips (its code, e.g. CD).")
    def list_slips(branch_code):
        """One slip per line: serial, date signed, branch, amount, status."""
        statement = db.select(Slip).order_by(Slip.serial)
        for slip in db.session.execute(statement).scalars():
            if branch_code and slip.branch.code != branch_code:
                continue
            click.echo("\t".join((slip.serial, format_local(slip.signed_at), slip.branch.name,
                                  format_fen(slip.total_fen), slip.status_label)))

    @slips.command("pdf")
    @click.argument("serial")
    @click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--copy", "copy", type=click.Choice([code for code, _, _ in content.COPIES]),
                  help="Only this copy (default: all three).")
    def pdf(serial, out, copy):
        """Write the slip's PDF (a reprint) to --out."""
        slip = _find(serial)
        out.write_bytes(printing.pdf_of(slip, (copy,) if copy else None))
        click.echo(f"{slip.serial} → {out}")

    @slips.command("verify")
    @click.argument("serial", required=False)
    def verify(serial):
        """Rebuild each slip's signed content from the stored rows and compare hashes."""
        chosen = [_find(serial)] if serial else db.session.execute(db.select(Slip).order_by(Slip.id)).scalars()
        altered = [slip.serial for slip in chosen if not services.verify_integrity(slip)]
        for found in altered:
            click.echo(f"{found}\t内容与签名时不一致", err=True)
        if altered:
            raise SystemExit(1)
        click.echo("全部服务单与签名时一致。")


def _find(serial):
    try:
        return services.by_serial(serial)
    except NotFound as error:
        raise click.ClickException(error.message) from error
