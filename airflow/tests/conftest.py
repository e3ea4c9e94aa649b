"""
Shared set-up of the Airflow tests. Airflow reads AIRFLOW_HOME when it is first imported, so the
environment is set here, before any test module imports it: a throwaway home, our DAG folder, no
example DAGs. The CLI under test is the built one (`npm run build` -> dist/tasks/cli.js).
"""

from __future__ import annotations

import json
import os
import tempfile

import pytest

from support import CLI, DAGS, run_cli

os.environ["AIRFLOW_HOME"] = tempfile.mkdtemp(prefix="movalytics-airflow-home-")
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(DAGS)
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__MOVALYTICS__CLI"] = str(CLI)


@pytest.fixture(scope="session")
def pipeline_steps() -> list[dict]:
    """The step graph as the TypeScript pipeline defines it (tasks/pipeline/steps.ts)."""
    result = run_cli("steps", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
