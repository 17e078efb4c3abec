"""``pathways app``: start the Streamlit front end (``streamlit run app.py``) in a subprocess.

The app lives in the repository (``app.py`` and ``ui/`` next to the package), so the command
works from a source checkout or an editable install. This module does not import streamlit:
the app runs in its own interpreter process (``sys.executable -m streamlit``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from pathways.cli._common import app, fail

__all__ = ["app_command", "app_script", "streamlit_command"]


def app_script() -> Path:
    """The app's entry script: ``app.py`` at the root of the source tree."""
    return Path(__file__).resolve().parents[2] / "app.py"


def streamlit_command(script: Path, *, port: int | None = None, address: str | None = None,
                      headless: bool | None = None, extra: list[str] | None = None) -> list[str]:
    """The ``python -m streamlit run`` command line for ``script``.

    >>> streamlit_command(Path("app.py"), port=8600, headless=True)[1:]
    ['-m', 'streamlit', 'run', 'app.py', '--server.port', '8600', '--server.headless', 'true']
    """
    cmd = [sys.executable, "-m", "streamlit", "run", str(script)]
    if port is not None:
        cmd += ["--server.port", str(port)]
    if address is not None:
        cmd += ["--server.address", address]
    if headless is not None:
        cmd += ["--server.headless", "true" if headless else "false"]
    return cmd + list(extra or [])


@app.command("app")
def app_command(
    port: Annotated[int | None, typer.Option("--port", "-p", help="Port to serve on (default 8501).",
                                             min=1, max=65535)] = None,
    address: Annotated[str, typer.Option(
        "--address", help="Address to bind. The default, 127.0.0.1, serves this machine only; "
                          "to serve others on your network, pass --address 0.0.0.0 (anyone who "
                          "can reach the port can then upload files to the app).")] = "127.0.0.1",
    headless: Annotated[bool, typer.Option("--headless/--browser",
                                           help="Serve only, or also open a browser tab.")] = True,
) -> None:
    """Start the web app (Streamlit) on the sample catalog; stop it with Ctrl+C.

    It listens on 127.0.0.1 (this machine) unless --address says otherwise.
    """
    script = app_script()
    if not script.is_file():
        raise fail(f"no app at {script}: the web app runs from a source checkout of pathways "
                   "(git clone, then pip install -e .)")
    cmd = streamlit_command(script, port=port, address=address, headless=headless)
    try:
        code = subprocess.call(cmd, cwd=script.parent)
    except KeyboardInterrupt:  # pragma: no cover - interactive stop
        code = 0
    if code:
        raise typer.Exit(code=code)
