"""
What Airflow calls when a run misses its deadline (Airflow 3 deadline alerts replace SLA misses).
Airflow imports it by path in the callback process, where the DAG bundle folder is on sys.path.
It logs one error line that log-based alerting can match; an email or chat notifier can be added
here without touching the DAG.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("movalytics.deadline")

CALLBACK_PATH = "movalytics_airflow.alerts.deadline_missed"


def deadline_missed(dag_id: str, deadline: str, context: dict[str, Any] | None = None, **_: Any) -> str:
    run = (context or {}).get("dag_run")
    run_id = getattr(run, "run_id", None) or (run.get("run_id") if isinstance(run, dict) else None)
    message = (
        f"MOVALYTICS DEADLINE MISSED: {dag_id} run {run_id or '?'} is still running {deadline} after it was queued"
    )
    log.error(message)
    return message
