"""
Test DAG of the exit-code contract on the docker runtime (airflow/tests/services/
test_docker_runtime.py): real step images failing for real, under the DAG's retry settings except
for a 1 s retry delay. A transform whose raw input is missing exits 65 and must fail at once;
create-tables against a port where nothing listens exits 75 and must be retried.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import DAG

from movalytics_airflow.command import Step
from movalytics_airflow.docker import build
from movalytics_airflow.runtime import Launch
from movalytics_airflow.settings import read_settings

LAKE = "file:///tmp/lake"  # inside the container: empty, so no raw input for any run
CASES = (
    ("bad_data", ("transform", "cpi"), {}),
    ("warehouse_refused", ("create-tables",), {"MOVALYTICS_WAREHOUSE": "postgres://movalytics@127.0.0.1:1/none"}),
)

with DAG(
    dag_id="movalytics_docker_exit_codes",
    schedule=None,
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    default_args={"retries": 2, "retry_delay": timedelta(seconds=1), "retry_exponential_backoff": 2.0},
):
    settings = read_settings("docker")
    for task_id, argv, extra in CASES:
        image, arguments = Step(task_id, argv).container(settings.image)
        environment = {"MOVALYTICS_RUN_ID": "exit-codes", "MOVALYTICS_LAKE": LAKE, **extra}
        build(Launch(arguments, environment, (), image, weight=1), settings, task_id=task_id)
