"""Every task's command is one the CLI accepts, and it declares every flag the DAG passes to it."""

from __future__ import annotations

import pytest

from movalytics_dwh import PIPELINE_STEPS, SAMPLE_STEP
from support import run_cli


@pytest.mark.parametrize("step", [SAMPLE_STEP, *PIPELINE_STEPS], ids=lambda step: step.task_id)
def test_cli_accepts_the_task_command_and_its_flags(step) -> None:
    result = run_cli(*step.argv, "--help")
    assert result.returncode == 0, result.stderr
    usage = result.stdout.splitlines()[0]
    # An unknown command prints the top-level help (`movalytics <command>`) and still exits 0.
    assert usage.startswith(f"movalytics {step.command}"), f"`{step.command}` is not a CLI command: {usage}"
    for flag in step.flags:  # passed as MOVALYTICS_* variables; the strict CLI rejects unknown ones
        assert f"--{flag}" in result.stdout, f"`movalytics {step.command}` has no --{flag}"
