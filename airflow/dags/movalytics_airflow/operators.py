"""
The one factory: a task-table row (Step) becomes an operator of the configured runtime. All three
runtimes get the same arguments (the step's argv), the same MOVALYTICS_* flag templates, the same
credentials and the same Airflow settings (``common`` below); each runtime module's ``build`` adds
only where the command runs. The runtime's provider is imported only when it is used, which keeps
parsing the DAG fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from airflow.sdk import BaseOperator

from movalytics_airflow.command import Step
from movalytics_airflow.runtime import Launch
from movalytics_airflow.settings import Settings

_RUNTIME_MODULES = {
    "local": "movalytics_airflow.local",
    "docker": "movalytics_airflow.docker",
    "kubernetes": "movalytics_airflow.kubernetes",
}


def movalytics_task(step: Step, settings: Settings, **operator_kwargs: Any) -> BaseOperator:
    image, arguments = (None, list(step.argv)) if settings.runtime == "local" else step.container(settings.image)
    launch = Launch(arguments, step.environment, step.credentials, image, step.weight)
    common = {
        "task_id": step.task_id,
        "run_if": step.run_if,
        "execution_timeout": step.timeout,
        "pool_slots": step.weight,
        **operator_kwargs,
    }
    return import_module(_RUNTIME_MODULES[settings.runtime]).build(launch, settings, **common)
