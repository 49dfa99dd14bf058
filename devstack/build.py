"""`python -m devstack.build`: what deploys, built and precompiled.

`sam build` for an architecture, then every built artifact is compiled to bytecode (unchecked-hash .pyc):
Lambda's /opt and /var/task are read-only, so without them every cold start compiles botocore, pydantic and
Powertools from source. The isolated-import test and the cold-start bench use a build for this machine's
architecture, made from the same template (the `Architecture` parameter); `make build` makes arm64's.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import py_compile
import shutil
import subprocess
import sys
from pathlib import Path

from devstack import template

SAM = template.ROOT / ".venv-sam" / "bin" / "sam"
LAYER = "CommonLayer"


def host_architecture() -> str:
    return "arm64" if platform.machine().lower() in ("arm64", "aarch64") else "x86_64"


def default_build_dir(architecture: str) -> Path:
    return template.ROOT / ".aws-sam" / ("build" if architecture == "arm64" else f"build-{architecture}")


def build(architecture: str, build_dir: Path | None = None) -> Path:
    """Builds every function and the layer for `architecture`, then precompiles them; returns the folder."""
    build_dir = build_dir or default_build_dir(architecture)
    if not SAM.exists():
        sys.exit("the SAM CLI is missing: run `make venv-sam` (every make target that needs it does)")
    environment = {
        **os.environ,
        "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
        "SAM_CLI_TELEMETRY": "0",
        # sam build runs pip with the runtime's interpreter (python3.13), found on PATH.
        "PATH": f"{Path(sys.executable).resolve().parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    command = [
        str(SAM),
        "build",
        "--template",
        str(template.TEMPLATE),
        "--build-dir",
        str(build_dir),
        "--cached",
        "--cache-dir",
        str(template.ROOT / ".aws-sam" / f"cache-{architecture}"),
        "--parallel",
        "--parameter-overrides",
        f"Architecture={architecture}",
    ]
    result = subprocess.run(command, env=environment, capture_output=True, text=True, cwd=template.ROOT)
    if result.returncode != 0:
        raise RuntimeError(f"sam build failed:\n{result.stdout}\n{result.stderr}")
    precompile(build_dir)
    return build_dir


def precompile(build_dir: Path) -> None:
    """Bytecode beside every source, trusted without a stat of the source (an artifact never changes)."""
    for stale in build_dir.rglob("__pycache__"):
        shutil.rmtree(stale)
    ok = compileall.compile_dir(
        build_dir,
        quiet=2,
        workers=0,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
    )
    if not ok:
        raise RuntimeError(f"some files in {build_dir} do not compile")


def artifact_paths(build_dir: Path, function: str) -> list[str]:
    """What Lambda puts on sys.path for this function: its own code, then the layer's python/ folder."""
    return [str(build_dir / function), str(build_dir / LAYER / "python")]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="devstack.build", description=__doc__)
    parser.add_argument("--architecture", choices=["arm64", "x86_64"], default="arm64")
    parser.add_argument("--build-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    print(build(args.architecture, args.build_dir))


if __name__ == "__main__":
    main()
