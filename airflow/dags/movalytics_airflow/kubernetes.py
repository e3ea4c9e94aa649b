"""
The kubernetes runtime (production): each task is a pod of its step image. Imported only when
the runtime is kubernetes (the provider takes ~0.7 s to import).

Credentials come from Kubernetes Secrets mounted as environment variables (``secrets=``); the
Secret names are settings, their keys are the variable names (AWS_ACCESS_KEY_ID, PGPASSWORD, ...).
The result JSON is written to /airflow/xcom/return.json (the CLI's default when that folder exists)
and read back by the xcom sidecar (``do_xcom_push``).

Exit codes: as with docker, the provider's only exit-code hook is ``skip_on_exit_code`` (it reads
the base container's terminated state); 2 and 65 are listed there and the skip becomes
AirflowFailException, so they fail at once while every other failure is retried. Where the
provider cannot read an exit code (the pod never started, was evicted, or the xcom sidecar failed)
the failure is a plain one and is retried.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
from airflow.providers.cncf.kubernetes.secret import Secret
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException
from kubernetes.client import models as k8s

from movalytics_airflow.command import NO_RETRY_EXIT_CODES, skip_unless_wanted
from movalytics_airflow.settings import CONTAINER_SAMPLE_DIR, Settings

_RESOURCES = {
    1: k8s.V1ResourceRequirements(requests={"cpu": "250m", "memory": "512Mi"}, limits={"memory": "1Gi"}),
    2: k8s.V1ResourceRequirements(requests={"cpu": "1", "memory": "1Gi"}, limits={"memory": "2Gi"}),
}


class MovalyticsPodOperator(KubernetesPodOperator):
    template_fields: Sequence[str] = (*KubernetesPodOperator.template_fields, "run_if")

    def __init__(self, *, run_if: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.run_if = run_if

    def execute(self, context: Any) -> Any:
        skip_unless_wanted(self.task_id, self.run_if)
        try:
            return super().execute(context)
        except AirflowSkipException as exited:
            raise _no_retry(self.task_id) from exited

    def execute_complete(self, context: Any, event: dict[str, Any], **kwargs: Any) -> Any:
        try:
            return super().execute_complete(context, event, **kwargs)
        except AirflowSkipException as exited:
            raise _no_retry(self.task_id) from exited


def _no_retry(task_id: str) -> AirflowFailException:
    return AirflowFailException(
        f"{task_id}: the pod exited with one of {', '.join(map(str, NO_RETRY_EXIT_CODES))}; "
        "not retried: fix the input or configuration"
    )


def _secrets(credentials: Sequence[str], settings: Settings) -> list[Secret]:
    names = {
        "lake": settings.kubernetes_lake_secret,
        "warehouse": settings.kubernetes_warehouse_secret,
        "kaggle": settings.kubernetes_kaggle_secret,
    }
    return [Secret("env", None, names[kind]) for kind in credentials if names[kind]]


def _sample_volume(settings: Settings) -> dict[str, Any]:
    """The generated sample lives on a shared PVC, when one is configured."""
    if not settings.kubernetes_samples_pvc:
        return {}
    claim = k8s.V1PersistentVolumeClaimVolumeSource(claim_name=settings.kubernetes_samples_pvc)
    return {
        "volumes": [k8s.V1Volume(name="samples", persistent_volume_claim=claim)],
        "volume_mounts": [k8s.V1VolumeMount(name="samples", mount_path=CONTAINER_SAMPLE_DIR)],
    }


def kubernetes_operator(
    *,
    task_id: str,
    image: str,
    arguments: list[str],
    environment: dict[str, str],
    credentials: Sequence[str],
    settings: Settings,
    run_if: str | None,
    weight: int = 1,
    **kwargs: Any,
) -> MovalyticsPodOperator:
    return MovalyticsPodOperator(
        task_id=task_id,
        name=f"movalytics-{task_id.replace('_', '-')}",
        namespace=settings.kubernetes_namespace,
        image=image,
        arguments=arguments,
        env_vars=environment,
        secrets=_secrets(credentials, settings),
        container_resources=_RESOURCES[weight],
        run_if=run_if,
        do_xcom_push=True,
        get_logs=True,
        on_finish_action="delete_succeeded_pod",  # keep failed pods for inspection
        skip_on_exit_code=list(NO_RETRY_EXIT_CODES),
        **_sample_volume(settings),
        **kwargs,
    )
