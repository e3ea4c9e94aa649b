"""
Shared set-up of the Airflow tests. Airflow reads AIRFLOW_HOME when it is first imported, so the
environment is set here, before any test module imports it: a throwaway home, our DAG folder, no
example DAGs. The CLI under test is the built one (`npm run build` -> dist/tasks/cli.js).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DAGS = REPO / "airflow" / "dags"
CLI = REPO / "dist" / "tasks" / "cli.js"

os.environ["AIRFLOW_HOME"] = tempfile.mkdtemp(prefix="movalytics-airflow-home-")
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(DAGS)
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__MOVALYTICS__CLI"] = str(CLI)


def cli_env() -> dict[str, str]:
    """The environment for running the CLI: without our own MOVALYTICS_* test variables, which the
    strict CLI would read as unknown flags."""
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


@pytest.fixture(scope="session")
def pipeline_steps() -> list[dict]:
    """The step graph as the TypeScript pipeline defines it (tasks/pipeline/steps.ts)."""
    result = run_cli("steps", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
