"""
Parsing the DAG file does no I/O and imports only what its runtime needs. Airflow re-parses DAG
files every few seconds, so the rule is: no file, network, database or subprocess access at import
time, and no Variable/Connection lookups (templates and run-time code do that instead).

The check is behavioural, not a timer: the import runs in a fresh interpreter under a Python audit
hook that records every file open, directory listing, subprocess, socket and database connection.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from movalytics_airflow.step_graph import STEP_GRAPH
from support import DAGS

PROBE = r"""
import json, sys, time
import airflow.sdk  # what the DAG processor has imported before it parses any file
from airflow.sdk import DAG, BaseOperator, Param  # noqa: F401  (resolve the lazy names up front)
import croniter  # noqa: F401  (Airflow's cron library; its import runs `file` once, in every Airflow process)
events = []
CODE = (".py", ".pyc", ".so", ".pth")
def hook(event, args):
    if event == "open" and args and isinstance(args[0], (str, bytes)):
        path = args[0].decode() if isinstance(args[0], bytes) else args[0]
        if path.endswith(CODE) or "/__pycache__/" in path or path.startswith("/proc/"):
            return
        events.append(f"open {path}")
    # (directory listings are not watched: the import system itself lists package folders)
    elif event in ("subprocess.Popen", "socket.connect", "socket.getaddrinfo", "sqlite3.connect",
                   "os.system", "urllib.Request"):
        events.append(f"{event} {args[0] if args else ''}")
sys.addaudithook(hook)
started = time.perf_counter()
import movalytics_dwh
seconds = time.perf_counter() - started
OPERATORS = ("airflow.providers.docker.operators", "airflow.providers.cncf.kubernetes.operators")
providers = sorted({p for p in OPERATORS for m in sys.modules if m.startswith(p)})
tasks = len(movalytics_dwh.dag.tasks)
print(json.dumps({"events": events, "seconds": seconds, "tasks": tasks, "providers": providers}))
"""


def import_dag_file(runtime: str) -> dict:
    env = {**os.environ, "AIRFLOW__MOVALYTICS__RUNTIME": runtime, "PYTHONPATH": str(DAGS)}
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("runtime", ["local", "docker", "kubernetes"])
def test_parsing_the_dag_file_does_no_io(runtime: str) -> None:
    probe = import_dag_file(runtime)
    # Every step of the graph, the optional sample step and the shard plan.
    assert probe["tasks"] == len(STEP_GRAPH) + 2
    assert probe["events"] == []
    print(f"\n{runtime}: DAG file import {probe['seconds']:.3f} s after airflow.sdk")  # reported, not asserted


@pytest.mark.parametrize(
    ("runtime", "expected"),
    [
        ("local", []),
        ("docker", ["airflow.providers.docker.operators"]),
        ("kubernetes", ["airflow.providers.cncf.kubernetes.operators"]),
    ],
)
def test_only_the_configured_runtime_operators_are_imported(runtime: str, expected: list[str]) -> None:
    assert import_dag_file(runtime)["providers"] == expected


FORBIDDEN_AT_TOP_LEVEL = {"Variable.get", "Connection.get", "BaseHook.get_connection", "open", "subprocess.run"}


def _top_level_calls(tree: ast.Module) -> set[str]:
    """Calls in module-level statements and class bodies (both run at import), not in functions."""
    calls: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return
        if isinstance(node, ast.Call):
            calls.add(ast.unparse(node.func))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return calls


@pytest.mark.parametrize("path", sorted(DAGS.rglob("*.py")), ids=lambda path: path.name)
def test_no_variable_connection_or_file_access_at_module_level(path: Path) -> None:
    calls = _top_level_calls(ast.parse(path.read_text()))
    assert calls & FORBIDDEN_AT_TOP_LEVEL == set()
