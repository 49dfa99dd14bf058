"""Cold start per function, measured on what deploys: the built artifacts (`sam build` for this machine's
architecture, precompiled), each imported in a fresh isolated interpreter with only its artifact and the built
layer on the path, and its clients built.

Every figure is the median wall time of RUNS fresh processes, from the start of each to its signal that it
is ready to take a request (Lambda's init duration: a sandbox is not torn down on the way to its first
request, so the interpreter's exit is not counted, for the hello world either). The entries run
interleaved, round by round (in a new order each round), so a load on the machine weighs on all of them
alike; the ratio is to a Powertools hello world with the same Logger, resolver with validation and DynamoDB
client, from the same layer.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from devstack import build, template

RUNS = int(os.environ.get("BENCH_RUNS", "15"))

HELLO_WORLD = """
from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from pydantic import BaseModel
import boto3

logger = Logger()
app = APIGatewayRestResolver(enable_validation=True)
client = boto3.client("dynamodb", region_name="us-east-1")


class Hello(BaseModel):
    name: str


@app.get("/hello")
def hello() -> Hello:
    return Hello(name="world")


def lambda_handler(event, context):
    return app.resolve(event, context)
"""

ENV = {
    "PATH": "/usr/bin:/bin",
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "TABLE_NAME": "bench",
    "JWKS_URL": "file:///dev/null",
    "TOKEN_ISSUER": "bench",
    "TOKEN_AUDIENCE": "bench",
    "CURSOR_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:bench",
    "POWERTOOLS_SERVICE_NAME": "handoff",
    "AWS_LAMBDA_FUNCTION_NAME": "bench",  # as in a sandbox (handoff.coldstart)
}


READY = "sys.stdout.write('ready\\n')\nsys.stdout.flush()\n"
# After the ready signal (not part of the init): the time to load every route group (handoff.api.groups) a
# function's first requests would load, so what the init leaves to them is on the page too.
ROUTE_GROUPS = """
import time
started = time.perf_counter()
if "handoff.api.groups" in sys.modules:
    sys.modules["handoff.api.groups"].load_everything()
sys.stdout.write(f"{(time.perf_counter() - started) * 1000:.1f}\\n")
"""


def _probe(paths: list[str], module: str, clients: bool) -> str:
    build_clients = "from handoff.store.table import client\nclient()\n" if clients else ""
    return f"import sys\nsys.path[:0] = {paths!r}\nimport {module}\n{build_clients}{READY}{ROUTE_GROUPS}"


def entries(built: Path, hello_dir: Path) -> dict[str, str]:
    layer = str(built / build.LAYER / "python")
    found = {"hello world": _probe([str(hello_dir), layer], "app", clients=False)}
    for function, resource in sorted(template.resources("AWS::Serverless::Function").items()):
        module = resource["Properties"]["Handler"].rpartition(".")[0]
        found[function] = _probe(build.artifact_paths(built, function), module, clients=True)
    return found


def once(code: str) -> tuple[float, float]:
    """Milliseconds from the start of a fresh interpreter to its ready signal, and then to load every route
    group (0 where there are none)."""
    started = time.perf_counter()
    with subprocess.Popen(
        [sys.executable, "-I", "-S", "-c", code], env=ENV, stdout=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        signal = process.stdout.readline()
        took = (time.perf_counter() - started) * 1000
        groups = process.stdout.readline()
        if process.wait() != 0 or signal != "ready\n":
            raise RuntimeError(f"the probe failed: {code}")
    return took, float(groups or 0)


def main() -> None:
    built = build.build(build.host_architecture())
    with tempfile.TemporaryDirectory() as folder:
        hello_dir = Path(folder)
        (hello_dir / "app.py").write_text(HELLO_WORLD)
        build.precompile(hello_dir)
        programs = {"python -c pass": f"import sys\n{READY}", **entries(built, hello_dir)}
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in programs}
        for code in programs.values():
            once(code)  # page the files in once
        order = list(programs)
        for _ in range(RUNS):
            random.shuffle(order)
            for name in order:
                samples[name].append(once(programs[name]))
    median = {name: statistics.median(init for init, _ in values) for name, values in samples.items()}
    groups = {name: statistics.median(loaded for _, loaded in values) for name, values in samples.items()}
    baseline, hello = median["python -c pass"], median["hello world"]
    print(f"built artifacts in {built} (precompiled); {RUNS} interleaved rounds, median wall time")
    print("init: start to ready for a request (the bar); then: loading every route group after it")
    worst, worst_loaded = ("", 0.0), ("", 0.0)
    for name, took in median.items():
        line = f"{name:<28}{took:8.1f} ms   {took / baseline:5.2f}x pass   {took / hello:5.2f}x hello-world"
        if groups[name]:
            loaded = took + groups[name]
            line += f"   then +{groups[name]:5.1f} ms every route group ({loaded / hello:4.2f}x)"
        print(line)
        if name not in ("python -c pass", "hello world"):
            worst = max(worst, (name, took / hello), key=lambda item: item[1])
            worst_loaded = max(worst_loaded, (name, (took + groups[name]) / hello), key=lambda item: item[1])
    print(f"with every route group loaded, the most: {worst_loaded[0]} {worst_loaded[1]:.2f}x hello-world")
    print(f"worst: {worst[0]} {worst[1]:.2f}x hello-world")


if __name__ == "__main__":
    main()
