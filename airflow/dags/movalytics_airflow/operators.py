"""
The one factory: a task-table row (Step) becomes an operator of the configured runtime. All three
runtimes get the same arguments (the step's argv), the same MOVALYTICS_* flag templates and the same
credentials; only where the command runs differs. The runtime's provider is imported only when it
is used, which keeps parsing the DAG fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from airflow.sdk import BaseOperator

from movalytics_airflow.command import Step
from movalytics_airflow.settings import Settings

_FACTORIES = {
    "local": ("movalytics_airflow.local", "local_operator"),
    "docker": ("movalytics_airflow.docker", "docker_operator"),
    "kubernetes": ("movalytics_airflow.kubernetes", "kubernetes_operator"),
}


def movalytics_task(step: Step, settings: Settings, **operator_kwargs: Any) -> BaseOperator:
    module, name = _FACTORIES[settings.runtime]
    factory = getattr(import_module(module), name)
    runtime_kwargs: dict[str, Any] = {"weight": step.weight} if settings.runtime == "kubernetes" else {}
    arguments = list(step.argv)
    if settings.runtime != "local":
        runtime_kwargs["image"], arguments = step.container(settings.image)
    return factory(
        task_id=step.task_id,
        arguments=arguments,
        environment=step.environment,
        credentials=step.credentials,
        settings=settings,
        run_if=step.run_if,
        execution_timeout=step.timeout,
        pool_slots=step.weight,
        **runtime_kwargs,
        **operator_kwargs,
    )
