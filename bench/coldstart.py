"""Cold start per function: a fresh interpreter imports the handler and builds its clients.

Printed as the median wall time of RUNS fresh processes, and as ratios to `python -c pass` and to a minimal
Powertools REST + validation + boto3 DynamoDB-client hello world measured in the same run.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from devstack import template

RUNS = int(os.environ.get("BENCH_RUNS", "9"))

HELLO_WORLD = """
import boto3
from pydantic import BaseModel
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
app = APIGatewayRestResolver(enable_validation=True)
class Hello(BaseModel):
    name: str
@app.get("/hello")
def hello() -> Hello:
    return Hello(name="world")
boto3.client("dynamodb", region_name="us-east-1")
"""


def function_cold_start(module: str) -> str:
    return f"import {module}\nfrom handoff.store.table import client\nclient()\n"


ENV = {
    **os.environ,
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_DEFAULT_REGION": "us-east-1",
    "TABLE_NAME": "bench",
    "JWKS_URL": "file:///dev/null",
    "TOKEN_ISSUER": "bench",
    "TOKEN_AUDIENCE": "bench",
    "CURSOR_SECRET": "bench-cursor-secret",
    "PYTHONDONTWRITEBYTECODE": "0",
}


def median_ms(code: str) -> float:
    samples = []
    subprocess.run([sys.executable, "-c", code], env=ENV, check=True)  # warm the bytecode cache once
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], env=ENV, check=True)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    baseline = median_ms("pass")
    hello = median_ms(HELLO_WORLD)
    print(f"runs per figure: {RUNS} (median wall time of a fresh process)")
    print(f"{'python -c pass':<28}{baseline:8.1f} ms   1.00x pass")
    print(f"{'hello world':<28}{hello:8.1f} ms   {hello / baseline:5.2f}x pass   1.00x hello-world")
    worst = ("", 0.0)
    for function, module in sorted(template.function_modules().items()):
        took = median_ms(function_cold_start(module))
        ratio = took / hello
        print(f"{function:<28}{took:8.1f} ms   {took / baseline:5.2f}x pass   {ratio:.2f}x hello-world")
        worst = max(worst, (function, ratio), key=lambda item: item[1])
    print(f"worst: {worst[0]} {worst[1]:.2f}x hello-world")


if __name__ == "__main__":
    main()
