"""
The kubernetes runtime (production): each task is a pod of its step image. Imported only when
the runtime is kubernetes (the provider takes ~0.7 s to import).

Credentials come from Kubernetes Secrets mounted as environment variables (``secrets=``); the
Secret names are settings, their keys are the variable names (AWS_ACCESS_KEY_ID, PGPASSWORD, ...).
The result JSON is written to /airflow/xcom/return.json (the CLI's default when that folder exists)
and read back by the xcom sidecar (``do_xcom_push``).

Exit codes: as with docker, the provider's only exit-code hook is ``skip_on_exit_code`` (it reads
the base container's terminated state); 2 and 65 are listed there and the skip becomes
AirflowFailException (runtime.py), so they fail at once while every other failure is retried. Where the
provider cannot read an exit code (the pod never started, was evicted, or the xcom sidecar failed)
the failure is a plain one and is retried.

Pod security: every pod meets the Pod Security Standard "restricted" (tested with Kubernetes' own
admission code, airflow/tests/services/test_pod_security.py), so a namespace enforcing it admits
them: the image's unprivileged user, no privilege escalation, no capability, the runtime's seccomp
profile, a read-only root filesystem with an emptyDir for scratch files, and the same for the xcom
sidecar. The pods get no service account token: the CLI never calls the Kubernetes API.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
from airflow.providers.cncf.kubernetes.secret import Secret
from airflow.providers.cncf.kubernetes.utils.xcom_sidecar import PodDefaults
from kubernetes.client import models as k8s

from movalytics_airflow.command import NO_RETRY_EXIT_CODES
from movalytics_airflow.runtime import Launch, MovalyticsOperator
from movalytics_airflow.settings import CONTAINER_SAMPLE_DIR, Settings

# Memory is limited (an overrun is killed, not slowed); CPU only requested: a CPU limit would throttle
# the CPU-bound steps even on an idle node.
_RESOURCES = {
    1: k8s.V1ResourceRequirements(requests={"cpu": "250m", "memory": "512Mi"}, limits={"memory": "1Gi"}),
    2: k8s.V1ResourceRequirements(requests={"cpu": "1", "memory": "1Gi"}, limits={"memory": "2Gi"}),
}
# The xcom sidecar only sleeps, then runs `cat` and `kill` once; the provider requests 1m/10Mi and
# sets no limit (unless the kubernetes connection sets its resources).
_SIDECAR_RESOURCES = k8s.V1ResourceRequirements(
    requests={"cpu": "1m", "memory": "10Mi"}, limits={"cpu": "100m", "memory": "32Mi"}
)
# The image's user (docker/Dockerfile: USER node, uid and gid 1000). "restricted" judges the pod spec,
# not the image, so the pod names it too; fsGroup lets it write the emptyDirs and the samples PVC.
_NODE_USER = 1000
# Where the CLI writes temporary files (os.tmpdir(): the extracts download there), on an emptyDir
# since the root filesystem is read-only.
_SCRATCH_DIR = "/tmp"  # noqa: S108 (a path in the container, on its own emptyDir)


class MovalyticsPodOperator(MovalyticsOperator, KubernetesPodOperator):
    template_fields: Sequence[str] = (*KubernetesPodOperator.template_fields, "run_if")
    exited = "pod"

    def build_pod_request_obj(self, context: Any = None, *, dry_run: bool = False) -> k8s.V1Pod:
        pod = super().build_pod_request_obj(context, dry_run=dry_run)
        # The provider adds the sidecar itself and takes its resources only from the kubernetes
        # connection; where that sets none (the provider's default: requests, no limit), ours apply.
        for container in pod.spec.containers:
            if container.name == PodDefaults.SIDECAR_CONTAINER_NAME and (
                container.resources == PodDefaults.SIDECAR_CONTAINER.resources
            ):
                container.resources = copy.deepcopy(_SIDECAR_RESOURCES)
        return pod

    def add_environment(self, name: str, value: str) -> None:
        # The provider keeps a dict as given (rendered, then converted when the pod is built).
        if isinstance(self.env_vars, dict):
            self.env_vars = {**self.env_vars, name: value}
        else:
            self.env_vars = [*self.env_vars, k8s.V1EnvVar(name=name, value=value)]

    def execute_complete(self, context: Any, event: dict[str, Any], **kwargs: Any) -> Any:
        """A deferred pod's end: its exit code is read here, so 2 and 65 fail at once here too."""
        with self.no_retry_on_skip():
            return super().execute_complete(context, event, **kwargs)


def _secrets(credentials: Sequence[str], settings: Settings) -> list[Secret]:
    names = {
        "lake": settings.kubernetes_lake_secret,
        "warehouse": settings.kubernetes_warehouse_secret,
        "kaggle": settings.kubernetes_kaggle_secret,
    }
    return [Secret("env", None, names[kind]) for kind in credentials if names[kind]]


def _volumes(settings: Settings) -> dict[str, list[Any]]:
    """Scratch space on an emptyDir; the generated sample on a shared PVC, when one is configured
    (without one, /samples is on the read-only root filesystem: a sample run fails at once rather
    than writing a sample the next pod cannot see)."""
    volumes = [k8s.V1Volume(name="scratch", empty_dir=k8s.V1EmptyDirVolumeSource())]
    mounts = [k8s.V1VolumeMount(name="scratch", mount_path=_SCRATCH_DIR)]
    if settings.kubernetes_samples_pvc:
        claim = k8s.V1PersistentVolumeClaimVolumeSource(claim_name=settings.kubernetes_samples_pvc)
        volumes.append(k8s.V1Volume(name="samples", persistent_volume_claim=claim))
        mounts.append(k8s.V1VolumeMount(name="samples", mount_path=CONTAINER_SAMPLE_DIR))
    return {"volumes": volumes, "volume_mounts": mounts}


def _pod_security() -> k8s.V1PodSecurityContext:
    return k8s.V1PodSecurityContext(
        run_as_non_root=True,
        run_as_user=_NODE_USER,
        run_as_group=_NODE_USER,
        fs_group=_NODE_USER,
        # Only re-own a volume whose root is not the group's yet, not every file of the samples PVC
        # at every pod start.
        fs_group_change_policy="OnRootMismatch",
        seccomp_profile=k8s.V1SeccompProfile(type="RuntimeDefault"),
    )


def _container_security() -> k8s.V1SecurityContext:
    """For the task container and the xcom sidecar alike (the pod's context covers the user and
    seccomp)."""
    return k8s.V1SecurityContext(
        allow_privilege_escalation=False,
        capabilities=k8s.V1Capabilities(drop=["ALL"]),
        read_only_root_filesystem=True,
    )


OPERATOR = MovalyticsPodOperator


def build(launch: Launch, settings: Settings, **common: Any) -> MovalyticsPodOperator:
    return MovalyticsPodOperator(**operator_kwargs(launch, settings, **common))


def operator_kwargs(launch: Launch, settings: Settings, **common: Any) -> dict[str, Any]:
    return dict(
        name=f"movalytics-{common['task_id'].replace('_', '-')}",
        namespace=settings.kubernetes_namespace,
        image=launch.image,
        arguments=launch.arguments,
        env_vars=launch.environment,
        secrets=_secrets(launch.credentials, settings),
        container_resources=_RESOURCES[launch.weight],
        security_context=_pod_security(),
        container_security_context=_container_security(),
        xcom_sidecar_container_security_context=_container_security(),
        automount_service_account_token=False,
        do_xcom_push=True,
        get_logs=True,
        on_finish_action="delete_succeeded_pod",  # keep failed pods for inspection
        skip_on_exit_code=list(NO_RETRY_EXIT_CODES),
        **_volumes(settings),
        **common,
    )
