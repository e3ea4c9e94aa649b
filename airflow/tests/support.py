"""Paths of the repository and running the built CLI, shared by the Airflow tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DAGS = REPO / "airflow" / "dags"
CLI = REPO / "dist" / "tasks" / "cli.js"


def cli_env() -> dict[str, str]:
    """The environment for running the CLI: without our own MOVALYTICS_* test variables, which the
    CLI would read as flags."""
    return {name: value for name, value in os.environ.items() if not name.startswith("MOVALYTICS_")}


def run_cli(*argv: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    assert node, "node is not on PATH"
    assert CLI.exists(), f"{CLI} is missing: run `npm run build`"
    return subprocess.run(
        [node, str(CLI), *argv],
        env={**cli_env(), **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
