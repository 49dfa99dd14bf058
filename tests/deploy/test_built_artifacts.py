"""What deploys is what is tested: `sam build` (for this machine's architecture, from the same template), then
each function's handler imported in a fresh isolated interpreter with only its built artifact and the built
layer on the path, as Lambda would. A dependency missing from a requirements.txt fails here."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig

from devstack import build, template

PROBE = """
import gc, importlib, json, sys
sys.path[:0] = {paths!r}
handler = getattr(importlib.import_module({module!r}), {attribute!r})
assert callable(handler)
from handoff.api import groups  # every route group a request may load imports with what deploys too
groups.load_everything()
assert gc.isenabled() and gc.get_freeze_count() > 0, "the collector is not resumed after the init (ADR 0013)"
loaded = sorted({{getattr(m, "__file__", None) or "" for m in list(sys.modules.values())}} - {{""}})
print(json.dumps(loaded))
"""


def test_every_function_imports_with_only_its_artifact_and_the_layer():
    built = build.build(build.host_architecture())
    stdlib = sysconfig.get_paths()["stdlib"]
    problems = []
    for function, resource in sorted(template.resources("AWS::Serverless::Function").items()):
        module, _, attribute = resource["Properties"]["Handler"].rpartition(".")
        paths = build.artifact_paths(built, function)
        result = subprocess.run(
            # -I: no PYTHONPATH, no user site, no current directory; -S: no site-packages at all.
            [sys.executable, "-I", "-S", "-c", PROBE.format(paths=paths, module=module, attribute=attribute)],
            capture_output=True,
            text=True,
            env={
                "PATH": "/usr/bin:/bin",
                "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_LAMBDA_FUNCTION_NAME": function,
                "TABLE_NAME": "handoff",  # the template sets it on every function
            },
        )
        if result.returncode != 0:
            problems.append(f"{function}: {result.stderr.strip().splitlines()[-1:]}")
            continue

        outside = [f for f in json.loads(result.stdout) if not f.startswith((stdlib, *paths))]
        if outside:
            problems.append(f"{function} loaded code from outside its artifact: {outside[:3]}")
    assert not problems, "\n".join(problems)
    layer = built / build.LAYER / "python"  # precompiled: a cold start does not compile its imports
    assert list((layer / "botocore" / "__pycache__").glob("*.cpython-313.pyc"))
    assert list((layer / "handoff" / "__pycache__").glob("*.cpython-313.pyc"))
