"""Every entry module pauses the garbage collector before anything heavy and resumes it when it is ready
(ADR 0013): its first import is `handoff.coldstart`, its last statement `coldstart.ready()`."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from devstack import template


def _entry_modules() -> list[Path]:
    found = set()
    for resource in template.resources("AWS::Serverless::Function").values():
        properties = resource["Properties"]
        module = properties["Handler"].rpartition(".")[0]
        found.add(template.ROOT / properties["CodeUri"] / f"{module.replace('.', '/')}.py")
    return sorted(found)


@pytest.mark.parametrize("path", _entry_modules(), ids=lambda path: f"{path.parent.name}/{path.name}")
def test_an_entry_module_pauses_the_collector_first_and_resumes_it_last(path: Path) -> None:
    body = ast.parse(path.read_text()).body
    imports = [node for node in body if isinstance(node, ast.Import | ast.ImportFrom)]
    first = imports[0]
    assert isinstance(first, ast.ImportFrom) and first.module == "handoff", f"{path}: first import"
    assert [alias.name for alias in first.names] == ["coldstart"]
    last = body[-1]
    assert isinstance(last, ast.Expr) and ast.unparse(last.value) == "coldstart.ready()", f"{path}: last"


def test_in_a_sandbox_the_init_runs_without_collections_and_ends_frozen() -> None:
    probe = (
        "import gc\nfrom handoff import coldstart\npaused = not gc.isenabled()\ncoldstart.ready()\n"
        "assert paused and gc.isenabled() and gc.get_freeze_count() > 0"
    )
    environment = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(template.ROOT / "layers" / "common")}
    sandbox = subprocess.run(
        [sys.executable, "-c", probe], env={**environment, "AWS_LAMBDA_FUNCTION_NAME": "f"}
    )
    assert sandbox.returncode == 0
    # Elsewhere (the local stack, the tests) nothing changes.
    elsewhere = subprocess.run([sys.executable, "-c", probe], env=environment, capture_output=True)
    assert elsewhere.returncode != 0
