"""`make run`: the links it prints and emails point at the address it serves, and the periodic jobs run beside
runserver and stop with it."""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _make_run(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> list[str]:
    """Run `make run` with a stand-in Python that logs each call (`SITE_URL=... argv`) instead of running it."""
    venv = tmp_path / "venv"
    venv.mkdir()
    # Newer than requirements.lock and pyproject.toml: make sees the virtualenv as installed.
    (venv / ".installed").touch()
    log = tmp_path / "calls.log"
    python = tmp_path / "python"
    python.write_text(
        textwrap.dedent(f"""\
            #!/bin/sh
            echo "SITE_URL=$SITE_URL $*" >> {log}
            case "$*" in
              *run_periodic*) echo $$ > {tmp_path / "periodic.pid"}; exec sleep 30 ;;
              *runserver*) sleep 1 ;;
            esac
            """)
    )
    python.chmod(python.stat().st_mode | stat.S_IXUSR)
    clean = {"PATH": os.environ["PATH"], **(env or {})}
    subprocess.run(
        [shutil.which("make"), "--no-print-directory", "run", f"VENV={venv}", f"VPY={python}", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return log.read_text().splitlines()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) is not running either.
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split(") ")[-1].startswith("Z"))


@needs_make
def test_make_run_site_url_is_the_host_and_port_served(tmp_path):
    calls = _make_run(tmp_path, "HOST=192.0.2.7", "PORT=8123")

    assert sorted(calls) == [
        "SITE_URL= manage.py migrate --noinput",
        "SITE_URL=http://192.0.2.7:8123 manage.py load_demo",
        "SITE_URL=http://192.0.2.7:8123 manage.py run_periodic",
        "SITE_URL=http://192.0.2.7:8123 manage.py runserver 192.0.2.7:8123",
    ]


@needs_make
def test_make_run_on_every_interface_links_to_localhost(tmp_path):
    calls = _make_run(tmp_path, "HOST=0.0.0.0", "PORT=9000")

    assert "SITE_URL=http://localhost:9000 manage.py runserver 0.0.0.0:9000" in calls


@needs_make
def test_make_run_site_url_set_by_the_user_wins(tmp_path):
    calls = _make_run(tmp_path, "PORT=9000", env={"SITE_URL": "https://demo.example.org"})

    assert "SITE_URL=https://demo.example.org manage.py load_demo" in calls
    assert "SITE_URL=https://demo.example.org manage.py runserver 127.0.0.1:9000" in calls


@needs_make
def test_make_run_stops_the_periodic_jobs_when_runserver_ends(tmp_path):
    _make_run(tmp_path, "PORT=9000")

    pid = int((tmp_path / "periodic.pid").read_text())
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pid)


def test_load_demo_says_where_links_point_and_its_enrolment_link_is_there(db, settings):
    settings.DEMO_MODE = True
    settings.SITE_URL = "http://192.0.2.7:8123"
    out = io.StringIO()

    call_command("load_demo", stdout=out)

    text = out.getvalue()
    assert "Links in emails and calendar (.ics) files point at SITE_URL: http://192.0.2.7:8123\n" in text
    assert re.findall(r"https?://\S+/accounts/2fa/enrol/", text) == ["http://192.0.2.7:8123/accounts/2fa/enrol/"]


def test_readme_documents_host_port_and_the_periodic_jobs_of_make_run():
    readme = (ROOT / "README.md").read_text()
    assert "make run HOST=0.0.0.0 PORT=8080 SITE_URL=http://my-laptop.lan:8080" in readme
    assert "`manage.py run_periodic`" in readme


def test_site_url_host_is_allowed_in_development(tmp_path):
    """The settings of `make run HOST=192.0.2.7`: the host its links name is one the portal answers."""
    code = "import django; from django.conf import settings; django.setup(); print(settings.ALLOWED_HOSTS)"
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "uprcities.settings",
        "VAR_DIR": str(tmp_path),
        "SITE_URL": "http://192.0.2.7:8123",
    }
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "['127.0.0.1', 'localhost', '192.0.2.7']"
