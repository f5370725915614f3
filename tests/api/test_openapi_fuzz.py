"""The OpenAPI document is the truth: schemathesis draws requests from it for every operation, as each role
and as nobody, against the demo company over real HTTP, and every answer must be as documented — no 5xx,
no body outside its schema, no undocumented status or content type, and no request the document allows
refused as malformed. Bounded and repeatable: tests/api/schemathesis.toml (fixed seed, positive data)."""
import subprocess
import sys
from pathlib import Path

import pytest

from app.auth import services as auth
from app.demo.loader import load_demo
from app.extensions import db

CONFIG = Path(__file__).with_name("schemathesis.toml")
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
ROLES = {"nobody": None, "technician": "T1001", "dispatcher": "dispatcher", "back_office": "backoffice",
         "admin": "admin", "storekeeper": "kuguan"}
# An operation each role may use: if schemathesis lists it among those that answered only 401/403, the
# token did not work and the run tested nothing but the door.
MAY_USE = {"technician": "GET /api/v1/me/bundle", "dispatcher": "GET /api/v1/work-orders",
           "back_office": "GET /api/v1/callbacks", "admin": "GET /api/v1/work-orders",
           "storekeeper": "GET /api/v1/stock/levels"}


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_as_the_document_says(app, live_server, role, tmp_path):
    with app.app_context():
        load_demo(lambda _line: None)
        token = auth.create_token(auth.find_user(ROLES[role]), "schemathesis") if ROLES[role] else None
        db.session.commit()
    command = [str(SCHEMATHESIS), "--config-file", str(CONFIG), "run", f"{live_server}/api/v1/openapi.json",
               "--report", "junit", "--report-dir", str(tmp_path)]
    if token:
        command += ["--header", f"Authorization: Bearer {token}"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=tmp_path,
                         env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "SCHEMATHESIS_HOOKS": ""})
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
    assert " passed" in run.stdout or "No issues found" in run.stdout, run.stdout[-3000:]
    if role in MAY_USE:
        assert f"- {MAY_USE[role]}\n" not in run.stdout, f"{role}'s token was refused:\n{run.stdout[-3000:]}"
