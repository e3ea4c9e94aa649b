"""
The DAG's docker runtime end to end: Airflow's DockerOperator, pointed at the container engine's
Docker API (scripts/services/container-engine.sh: podman) with host networking, runs every task as
a container of its step image (scripts/services/images.sh). `airflow dags test` generates a `small`
sample into a named volume, extracts it into MinIO, loads PostgreSQL, checks and reports; each
task's XCom is its result JSON; a container exiting 65 fails at once, one exiting 75 is retried;
no container is left behind.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from services_support import (
    Services,
    airflow_env,
    dags_test,
    dags_test_succeeds,
    docker_runtime_env,
    movalytics_containers,
)
from test_dag_run import assert_pipeline_outcome

from movalytics_dwh import PIPELINE_STEPS
from support import DAGS

TEST_DAGS = Path(__file__).resolve().parents[1] / "dags"


def xcoms(home: Path, dag_id: str) -> dict[str, object]:
    with sqlite3.connect(home / "airflow.db") as db:
        rows = db.execute(
            "SELECT task_id, value FROM xcom WHERE dag_id = ? AND key = 'return_value'", (dag_id,)
        ).fetchall()
    return {task_id: json.loads(value) if isinstance(value, (str, bytes)) else value for task_id, value in rows}


def test_dags_test_runs_every_task_as_a_container_of_its_step_image(
    tmp_path: Path, services: Services, warehouse_db: str, unique: str, samples_volume: str
) -> None:
    assert movalytics_containers() == [], "containers of an earlier run are still there"
    home = tmp_path / "home"
    # `dags test` of a DAG with a deadline crashes after a successful run in Airflow 3.3.2
    # (apache/airflow#73428), so the alert is off here.
    env = airflow_env(
        home, DAGS, services, AIRFLOW__MOVALYTICS__RUN_DEADLINE_MINUTES="0", **docker_runtime_env(samples_volume)
    )
    prefix = f"docker-{unique}"
    conf = {
        "run_id": f"docker-{unique}",
        "scale": "small",  # generated inside the generate-sample container, into the named volume
        "lake": f"s3://{services.bucket}/{prefix}",
        "warehouse": services.postgres_url.rsplit("/", 1)[0] + "/" + warehouse_db,
    }
    dags_test_succeeds(env, conf, timeout=1200)
    assert_pipeline_outcome(services, warehouse_db, prefix, conf["run_id"])

    # Each task's XCom is the result JSON its container printed last.
    results = xcoms(home, "movalytics_dwh")
    # Every step (one shard each: the sample is small), the sample step and the shard plan.
    assert set(results) == {step.task_id for step in PIPELINE_STEPS} | {"generate_sample", "plan_shards"}, sorted(
        results
    )
    assert results.pop("plan_shards") == [None]
    for task_id, result in results.items():
        assert isinstance(result, dict), f"{task_id}: XCom {result!r}"
        assert (result["status"], result["exit_code"], result["run_id"]) == ("success", 0, conf["run_id"]), task_id
    assert results["load_ratings"]["task"] == "load"
    assert results["generate_sample"]["scale"] == "small"
    assert movalytics_containers() == []


def test_a_container_exiting_65_fails_at_once_and_one_exiting_75_is_retried(
    tmp_path: Path, samples_volume: str
) -> None:
    home = tmp_path / "home"
    env = airflow_env(home, TEST_DAGS, **docker_runtime_env(samples_volume))
    code, log = dags_test(env, "movalytics_docker_exit_codes", timeout=600)
    assert code != 0, "the run has failed tasks, so `dags test` must report failure"
    with sqlite3.connect(home / "airflow.db") as db:
        rows = db.execute(
            "SELECT task_id, state, try_number FROM task_instance WHERE dag_id = 'movalytics_docker_exit_codes'"
        ).fetchall()
    assert {task: (state, tries) for task, state, tries in rows} == {
        "bad_data": ("failed", 1),
        "warehouse_refused": ("failed", 3),
    }, log[-4000:]
    assert "bad_data: the container exited with one of 2 (usage or configuration error), 65 (bad input data)" in log
    assert movalytics_containers() == []
