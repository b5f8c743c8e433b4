""".ci/audit: fails on a known vulnerability, and says SKIPPED when no advisory source answers."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CANARY_FOUND = (
    "Name   Version ID             Fix Versions\n"
    "------ ------- -------------- ------------\n"
    "jinja2 2.10    PYSEC-2019-217 2.10.1\n"
)
NOT_ON_PYPI = (
    "No known vulnerabilities found\n"
    "jinja2 Dependency not found on PyPI and could not be audited: jinja2 (2.10)\n"
)


def fake_pip_audit(tmp_path: Path, canary: str, environment: str, code: int) -> Path:
    """A pip-audit stand-in: answers the canary (-r FILE) and the environment audit."""
    script = tmp_path / "pip-audit"
    script.write_text(
        "#!/usr/bin/env bash\n"
        'if [[ " $* " == *" -r "* ]]; then\n'
        f"  cat <<'OUT'\n{canary}OUT\n  exit 0\nfi\n"
        f"cat <<'OUT'\n{environment}OUT\nexit {code}\n"
    )
    script.chmod(0o755)
    return script


def run_audit(fake: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(ROOT / ".ci" / "audit")],
        capture_output=True,
        text=True,
        env={**os.environ, "PIP_AUDIT": str(fake)},
    )


def test_a_known_vulnerability_fails_the_run(tmp_path: Path) -> None:
    found = "requests 2.0 GHSA-xxxx 2.32\n"
    result = run_audit(fake_pip_audit(tmp_path, CANARY_FOUND, found, 1))
    assert result.returncode == 1
    assert "advisories from pypi" in result.stdout and "GHSA-xxxx" in result.stdout


def test_a_clean_environment_passes_and_says_which_source(tmp_path: Path) -> None:
    result = run_audit(fake_pip_audit(tmp_path, CANARY_FOUND, "No known vulnerabilities\n", 0))
    assert result.returncode == 0
    assert "advisories from pypi" in result.stdout


@pytest.mark.parametrize(
    "canary", [NOT_ON_PYPI, "ConnectionError: Failed to resolve 'api.osv.dev'\n"]
)
def test_no_advisory_source_is_said_never_passed_silently(tmp_path: Path, canary: str) -> None:
    result = run_audit(fake_pip_audit(tmp_path, canary, "should not run\n", 0))
    assert result.returncode == 0
    assert result.stdout.startswith("dependency audit SKIPPED: no advisory source answers")
    assert "should not run" not in result.stdout
