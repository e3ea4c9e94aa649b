"""Paths of the repository and running the built CLI, shared by the Airflow tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from airflow.sdk.definitions.mappedoperator import MappedOperator

from movalytics_airflow.command import SHARD_PLAN_TASK_ID

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


# The shard plan of the rendered runs: three shards; a mapped task is rendered as the second.
SHARD_PLAN = ["1/3", "2/3", "3/3"]


class PlanOnlyTaskInstance:
    """The task instance of a rendered run, as far as templates ask it: the shard plan's XCom."""

    @staticmethod
    def xcom_pull(task_ids: str) -> list[str]:
        assert task_ids == SHARD_PLAN_TASK_ID
        return SHARD_PLAN


def one_instance(task: Any) -> Any:
    """A task as a run renders it: a mapped one as its second shard's instance."""
    return task.unmap({"shard": SHARD_PLAN[1]}) if isinstance(task, MappedOperator) else task
