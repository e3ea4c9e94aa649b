"""
Every pod of the kubernetes runtime passes the Pod Security Standard "restricted" (latest version),
judged by Kubernetes' own admission code: scripts/pod-security, built by
scripts/services/pod-security.sh from k8s.io/pod-security-admission, the library of the PodSecurity
admission plugin. A namespace that enforces "restricted" therefore admits them.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
from typing import Any

import pytest
from kubernetes.client import ApiClient
from services_support import service_env

from movalytics_airflow.command import SHARD_PLAN_TASK_ID
from movalytics_dwh import PIPELINE_STEPS, SAMPLE_STEP, build_dag
from support import PlanOnlyTaskInstance, one_instance

TASK_IDS = {step.task_id for step in (SAMPLE_STEP, *PIPELINE_STEPS)}
SIDECAR = "airflow-xcom-sidecar"  # the provider's name (PodDefaults.SIDECAR_CONTAINER_NAME)
# "<source>#<n> <pod name>: <check ID>: <reason> (<detail>)", one line per failing check
FAILED_CHECK = re.compile(r"^\S+#(?P<n>\d+) \S+: (?P<check>\w+): (?P<reason>.+)$")

Pod = dict[str, Any]


def rendered_pods() -> dict[str, Pod]:
    """The pod of every task, as the operator would send it (xcom sidecar included), as JSON."""
    dag = build_dag("kubernetes")
    context: dict[str, Any] = {
        "params": dag.params.dump(),
        "run_id": "manual__1",
        "ds_nodash": "20250102",
        "ti": PlanOnlyTaskInstance(),
    }
    api = ApiClient()
    pods = {}
    for mapped_or_not in dag.tasks:
        if mapped_or_not.task_id == SHARD_PLAN_TASK_ID:
            continue  # a Python task of the DAG: it runs in the Airflow worker, not in a pod of ours
        task = one_instance(mapped_or_not)
        task.render_template_fields(context, jinja_env=dag.get_template_env())
        # dry_run leaves out only the label saying whether Airflow itself runs in a cluster (reading
        # that needs a kube config); the provider's own `dry_run()` renders the pod the same way.
        pods[task.task_id] = api.sanitize_for_serialization(task.build_pod_request_obj(dry_run=True))
    return pods


@pytest.fixture(scope="module")
def pods() -> dict[str, Pod]:
    """The pods with the DAG's default settings (read-only: a test that changes one copies it)."""
    return rendered_pods()


def evaluate(*pods: Pod) -> tuple[int, list[str], dict[int, set[str]]]:
    """(exit status, output lines, failing check IDs by pod: 1 for the first) of the checker at
    "restricted"."""
    checker = service_env("MOVALYTICS_TEST_POD_SECURITY")
    result = subprocess.run(
        [checker, "-level", "restricted"],
        input="\n".join(json.dumps(pod) for pod in pods), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode in (0, 1), f"the checker could not evaluate the pods: {result.stderr}"
    lines = result.stdout.splitlines()
    failed: dict[int, set[str]] = {}
    for line in lines:
        if match := FAILED_CHECK.match(line):
            failed.setdefault(int(match["n"]), set()).add(match["check"])
    return result.returncode, lines, failed


def containers(pod: Pod) -> dict[str, Pod]:
    return {container["name"]: container for container in pod["spec"]["containers"]}


@pytest.mark.parametrize("samples_pvc", ["", "movalytics-samples"], ids=["defaults", "samples-pvc"])
def test_every_pod_passes_restricted(samples_pvc: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRFLOW__MOVALYTICS__KUBERNETES_SAMPLES_PVC", samples_pvc)
    pods = rendered_pods()
    assert set(pods) == TASK_IDS
    for task_id, pod in pods.items():
        assert set(containers(pod)) == {"base", SIDECAR}, task_id
        claims = [volume for volume in pod["spec"]["volumes"] if "persistentVolumeClaim" in volume]
        assert len(claims) == (1 if samples_pvc else 0), task_id

    status, lines, failed = evaluate(*pods.values())

    assert failed == {}, "\n".join(lines)
    assert status == 0
    assert len([line for line in lines if line.endswith(": ok (restricted:latest)")]) == len(pods), lines


def test_what_restricted_does_not_check_is_there_too(pods: dict[str, Pod]) -> None:
    """Asked of every pod beyond the standard: a read-only root filesystem with an emptyDir for the
    CLI's temporary files, and resources requested and limited in both containers."""
    for task_id, pod in pods.items():
        volumes = {volume["name"]: volume for volume in pod["spec"]["volumes"]}
        for name, container in containers(pod).items():
            assert container["securityContext"]["readOnlyRootFilesystem"] is True, (task_id, name)
            assert container["resources"]["requests"]["memory"], (task_id, name)
            assert container["resources"]["limits"]["memory"], (task_id, name)
        scratch = [m for m in containers(pod)["base"]["volumeMounts"] if m["mountPath"] == "/tmp"]
        assert len(scratch) == 1 and "emptyDir" in volumes[scratch[0]["name"]], task_id
        assert pod["spec"]["securityContext"]["runAsUser"] == 1000  # the image's `node` user
        assert pod["spec"]["automountServiceAccountToken"] is False


def test_each_pod_runs_its_own_step_image(pods: dict[str, Pod]) -> None:
    """The default ``[movalytics] image`` names one image per step, entered at its own command."""
    for step in (SAMPLE_STEP, *PIPELINE_STEPS):
        base = containers(pods[step.task_id])["base"]
        assert (base["image"], base.get("args", [])) == (f"movalytics-{step.command}:latest", list(step.argv[1:]))


def security_context(pod: Pod, where: str) -> Pod:
    """The securityContext of the pod (``where="pod"``) or of its container of that name."""
    return pod["spec"]["securityContext"] if where == "pod" else containers(pod)[where]["securityContext"]


@pytest.mark.parametrize(
    ("where", "field", "check"),
    [
        (SIDECAR, "allowPrivilegeEscalation", "allowPrivilegeEscalation"),
        ("pod", "runAsNonRoot", "runAsNonRoot"),
        ("base", "capabilities", "capabilities_restricted"),
        ("pod", "seccompProfile", "seccompProfile_restricted"),
    ],
)
def test_a_pod_missing_one_field_fails_and_names_the_check(
    pods: dict[str, Pod], where: str, field: str, check: str
) -> None:
    pod = pods["load_ratings"]
    weakened = copy.deepcopy(pod)
    del security_context(weakened, where)[field]

    status, lines, failed = evaluate(pod, weakened)

    assert status == 1
    assert failed == {2: {check}}, "\n".join(lines)  # the pod as rendered (1) passes
