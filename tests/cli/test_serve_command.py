"""``peaceops serve``: safe by default (a token beyond loopback), a fast ``--help``."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from peaceops.cli import app
from peaceops.errors import ScenarioError
from peaceops.web import check_bind

runner = CliRunner()


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "::1", "localhost"])
def test_loopback_is_served_without_a_token(host: str) -> None:
    check_bind(host, None)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "example.org"])
def test_any_other_address_needs_a_token(host: str) -> None:
    with pytest.raises(ScenarioError, match="--token"):
        check_bind(host, None)
    check_bind(host, "s3cret")


def test_serve_refuses_a_public_address_without_a_token(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.delenv("PEACEOPS_TOKEN", raising=False)
    result = runner.invoke(app, ["serve", "--host", "0.0.0.0", "--db", f"{tmp_path}/s.db"])
    assert result.exit_code == 2
    assert "give --token TOKEN" in result.output


def test_serve_help_does_not_import_the_web_stack() -> None:
    code = (
        "import sys; from peaceops.cli import main; sys.argv = ['peaceops', 'serve', '--help'];\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('fastapi' in sys.modules, 'uvicorn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("False False")
