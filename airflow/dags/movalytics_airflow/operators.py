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

from airflow.sdk import BaseOperator, XComArg
from airflow.sdk.definitions.mappedoperator import MappedOperator

from movalytics_airflow.command import Step
from movalytics_airflow.runtime import Launch
from movalytics_airflow.settings import Settings

_RUNTIME_MODULES = {
    "local": "movalytics_airflow.local",
    "docker": "movalytics_airflow.docker",
    "kubernetes": "movalytics_airflow.kubernetes",
}


def movalytics_task(
    step: Step, settings: Settings, *, shards: XComArg | None = None, **task_kwargs: Any
) -> BaseOperator | MappedOperator:
    """The step's operator; a mapped step (``shards``: the shard plan's output) is expanded over it."""
    image, arguments = (None, list(step.argv)) if settings.runtime == "local" else step.container(settings.image)
    launch = Launch(arguments, step.environment, step.credentials, image, step.weight)
    common = {
        "task_id": step.task_id,
        "run_if": step.run_if,
        "execution_timeout": step.timeout,
        "pool_slots": step.weight,
        # Taken as it is: the step graph already summed the downstream weights (Airflow's default rule).
        "priority_weight": step.priority,
        "weight_rule": "absolute",
        **task_kwargs,
    }
    runtime = import_module(_RUNTIME_MODULES[settings.runtime])
    if step.shards != "each":
        return runtime.build(launch, settings, **common)
    if shards is None:
        raise ValueError(f"task {step.task_id} runs once per shard: give it the shard plan")
    return runtime.OPERATOR.partial(**runtime.operator_kwargs(launch, settings, **common)).expand(shard=shards)
