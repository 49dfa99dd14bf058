"""Every state machine in statemachines/ is valid ASL (schema-checked by asl-validator, parsed by moto when
provisioned), and every task can neither hang nor fail silently: a timeout, a Retry and a Catch."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from devstack import template

VALIDATOR = template.ROOT / "tools" / "asl" / "node_modules" / ".bin" / "asl-validator"
MACHINES = template.resources("AWS::Serverless::StateMachine")


def _definition(logical: str) -> str:
    """The ASL with the template's DefinitionSubstitutions filled in (with placeholder values)."""
    props = MACHINES[logical]["Properties"]
    text = (template.ROOT / props["DefinitionUri"]).read_text()
    for name in props.get("DefinitionSubstitutions") or {}:
        text = text.replace("${" + name + "}", f"substituted-{name}")
    return text


def _states(definition: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for name, state in definition["States"].items():
        found.append((name, state))
        for branch in state.get("Branches", []):
            found += _states(branch)
        if "Iterator" in state or "ItemProcessor" in state:
            found += _states(state.get("ItemProcessor") or state["Iterator"])
    return found


@pytest.mark.parametrize("logical", sorted(MACHINES))
def test_the_definition_passes_the_schema_validator(logical):
    result = subprocess.run(
        [str(VALIDATOR), "--json-definition", _definition(logical)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_refuses_a_broken_machine():
    broken = json.dumps({"StartAt": "Nowhere", "States": {"Somewhere": {"Type": "Pass", "End": True}}})
    result = subprocess.run([str(VALIDATOR), "--json-definition", broken], capture_output=True, text=True)
    assert result.returncode != 0


@pytest.mark.parametrize("logical", sorted(MACHINES))
def test_every_task_has_a_timeout_a_retry_and_a_catch(logical):
    for name, state in _states(json.loads(_definition(logical))):
        if state["Type"] != "Task":
            continue
        assert "TimeoutSeconds" in state or "TimeoutSecondsPath" in state, f"{logical}.{name} may hang"
        assert state.get("Retry"), f"{logical}.{name} gives up at the first failure"
        assert state.get("Catch"), f"{logical}.{name} fails without resolving anything"
