"""
The DAG triggered through the Airflow 3 REST API (v2) on a running `airflow standalone` (api-server,
scheduler, dag-processor, triggerer; LocalExecutor) reaches success, with the local runtime and with
the docker runtime (every task a container of its step image). Authentication is the simple
auth manager's: a configured user, its generated password file, a JWT from POST /auth/token.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from services_support import AIRFLOW, Services, airflow_env, docker_runtime_env, movalytics_containers
from test_dag_run import assert_pipeline_outcome

from movalytics_airflow.command import safe_run_id
from movalytics_dwh import PIPELINE_STEPS
from support import DAGS

PORT = int(os.environ.get("MOVALYTICS_TEST_AIRFLOW_PORT", "58080"))
BASE = f"http://127.0.0.1:{PORT}"
USER = "movalytics"


def request(method: str, path: str, token: str | None = None, body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    req = urllib.request.Request(BASE + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def wait_for(what: str, check, timeout: float, interval: float = 2.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = check()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            result = None
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


@dataclass(frozen=True)
class Standalone:
    home: Path
    process: subprocess.Popen[bytes]
    log: Path
    runtime: str

    def alive(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"airflow standalone exited {self.process.returncode}:\n{self.log.read_text()[-4000:]}")
        return True


def stop_process_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to standalone and every component it started; SIGKILL what is left after 30 s."""
    os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        process.poll()
        try:
            os.killpg(process.pid, 0)  # anyone left in the group?
        except ProcessLookupError:
            return
        time.sleep(0.5)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@pytest.fixture(params=["local", "docker"])
def runtime(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def standalone(tmp_path: Path, services: Services, runtime: str, samples_volume: str) -> Iterator[Standalone]:
    home = tmp_path / "home"
    runtime_env = docker_runtime_env(samples_volume) if runtime == "docker" else {}
    env = airflow_env(
        home, DAGS, services,
        AIRFLOW__API__PORT=str(PORT),
        AIRFLOW__CORE__EXECUTION_API_SERVER_URL=f"{BASE}/execution/",  # where the workers report to
        # Manual runs only: unpausing a daily DAG would also start today's scheduled run (default params).
        AIRFLOW__MOVALYTICS__SCHEDULE="none",
        AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS=f"{USER}:admin",
        AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION="True",
        AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL="5",
        AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC="1",
        **runtime_env,
    )  # fmt: skip
    log_path = tmp_path / "standalone.log"
    log = log_path.open("w")
    process = subprocess.Popen([str(AIRFLOW), "standalone"], env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)  # fmt: skip
    try:
        yield Standalone(home, process, log_path, runtime)
    finally:
        stop_process_group(process)
        log.close()


def test_dag_triggered_through_the_rest_api_reaches_success(
    standalone: Standalone, tmp_path: Path, services: Services, warehouse_db: str, unique: str
) -> None:
    wait_for("the API server", lambda: standalone.alive() and request("GET", "/api/v2/monitor/health")[0] == 200, 180)
    passwords = standalone.home / "simple_auth_manager_passwords.json.generated"
    wait_for("the generated password file", passwords.exists, timeout=60)
    password = json.loads(passwords.read_text())[USER]
    status, body = request("POST", "/auth/token", body={"username": USER, "password": password})
    assert status == 201, body
    token = body["access_token"]
    assert request("GET", "/api/v2/dags/movalytics_dwh")[0] == 401  # no token, no access

    wait_for("the DAG to be parsed", lambda: request("GET", "/api/v2/dags/movalytics_dwh", token)[0] == 200, 180)
    status, body = request("PATCH", "/api/v2/dags/movalytics_dwh", token, {"is_paused": False})
    assert status == 200 and body["is_paused"] is False, body

    dag_run_id = f"rest-{unique}"
    prefix = f"e2e-{unique}"
    conf = {
        "scale": "small",
        # docker: the default, /samples in the samples volume of every task container
        **({"sample_dir": str(tmp_path / "samples")} if standalone.runtime == "local" else {}),
        "lake": f"s3://{services.bucket}/{prefix}",
        "warehouse": services.postgres_url.rsplit("/", 1)[0] + "/" + warehouse_db,
    }
    # No logical date and no run_id param: the lake run id comes from the Airflow run id.
    status, body = request(
        "POST", "/api/v2/dags/movalytics_dwh/dagRuns", token,
        {"dag_run_id": dag_run_id, "logical_date": None, "conf": conf},
    )  # fmt: skip
    assert status == 200, body

    def finished() -> str | None:
        state = request("GET", f"/api/v2/dags/movalytics_dwh/dagRuns/{dag_run_id}", token)[1]["state"]
        return state if state in ("success", "failed") else None

    state = wait_for("the DAG run to finish", finished, timeout=600, interval=5)
    if state != "success":
        _, tis = request("GET", f"/api/v2/dags/movalytics_dwh/dagRuns/{dag_run_id}/taskInstances", token)
        pytest.fail(f"run {state}: " + ", ".join(f"{ti['task_id']}={ti['state']}" for ti in tis["task_instances"]))
    _, tis = request("GET", f"/api/v2/dags/movalytics_dwh/dagRuns/{dag_run_id}/taskInstances", token)
    states = {ti["task_id"]: ti["state"] for ti in tis["task_instances"]}
    assert set(states.values()) == {"success"} and len(states) == len(PIPELINE_STEPS) + 2, states
    assert_pipeline_outcome(services, warehouse_db, prefix, safe_run_id(dag_run_id))
    assert movalytics_containers() == []
