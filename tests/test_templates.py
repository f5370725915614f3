"""Templates build every URL with url_for: a moved route cannot leave a dead link behind."""
import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
HARD_CODED = re.compile(r"""(?:href|action|src|formaction)=["']/|["']/api/v1/""")


def test_templates_build_urls_with_url_for():
    offenders = [f"{path.relative_to(TEMPLATES)}:{number}"
                 for path in TEMPLATES.rglob("*.html")
                 for number, line in enumerate(path.read_text().splitlines(), start=1) if HARD_CODED.search(line)]
    assert offenders == []
