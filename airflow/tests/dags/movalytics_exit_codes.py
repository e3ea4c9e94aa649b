"""
Test DAG of the exit-code contract (airflow/tests/services/test_exit_codes.py): the local runtime's
operator runs a stand-in CLI that exits with a chosen code, under the DAG's real retry settings
except for a 1 s retry delay. 75 must be retried, 2 and 65 must fail at once.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import timedelta

import pendulum
from airflow.sdk import DAG, Param

from movalytics_airflow.local import MovalyticsLocalOperator
from movalytics_airflow.settings import read_settings

# (task id, exit code of the first run, exit code of later runs)
CASES = (
    ("transient_then_success", 75, 0),
    ("always_transient", 75, 75),
    ("usage_error", 2, 0),
    ("bad_data", 65, 0),
)
STAND_IN_CLI = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "exit_with.js")

with DAG(
    dag_id="movalytics_exit_codes",
    schedule=None,
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    params={"state_dir": Param("/nonexistent", type="string")},
    default_args={"retries": 2, "retry_delay": timedelta(seconds=1), "retry_exponential_backoff": 2.0},
):
    settings = replace(read_settings("local"), cli=STAND_IN_CLI)
    for task_id, first, later in CASES:
        MovalyticsLocalOperator(
            task_id=task_id,
            arguments=["{{ params.state_dir }}/" + task_id, str(first), str(later)],
            environment={},
            credentials=(),
            settings=settings,
        )
