"""template.yaml after the SAM transform, offline, as CloudFormation would receive it."""

from __future__ import annotations

import json
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

from devstack import template

SAM_PYTHON = template.ROOT / ".venv-sam" / "bin" / "python"


@lru_cache(maxsize=1)
def transformed() -> dict[str, Any]:
    script = Path(__file__).with_name("transform.py")
    output = subprocess.run(
        [str(SAM_PYTHON), str(script), str(template.TEMPLATE)], capture_output=True, text=True, check=True
    ).stdout
    result: dict[str, Any] = json.loads(output)
    return result


def resources(kind: str) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in transformed()["Resources"].items() if r["Type"] == kind}


def logical_of(value: Any) -> str | None:
    """X for {"Ref": "X"} or {"Fn::GetAtt": ["X", ...]}; None for anything else."""
    if isinstance(value, dict) and "Ref" in value:
        return str(value["Ref"])
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        attribute = value["Fn::GetAtt"]
        return str(attribute[0] if isinstance(attribute, list) else attribute.split(".")[0])
    return None
