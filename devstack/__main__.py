"""`python -m devstack serve|token|openapi`: the local stack, dev tokens and the OpenAPI document."""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import sys
import threading
from pathlib import Path

from devstack import template

# Where the running stack leaves its endpoint and the dev issuer its key (tests point it elsewhere).
STATE_DIR = Path(os.environ.get("DEVSTACK_STATE_DIR", template.ROOT / ".devstack"))
STATE_FILE = STATE_DIR / "state.json"


def _check_free(port: int, what: str, variable: str) -> None:
    """A port something else holds: say so and exit, before anything (a running stack's state) is touched."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            sys.exit(
                f"port {port} is in use ({what}); stop what holds it, or choose another: {variable}=<port>"
            )


def _timed_handler() -> type:
    """Connections that stop sending (a body shorter than its Content-Length) are closed after a while
    instead of holding their thread forever, as API Gateway would time them out."""
    from werkzeug.serving import WSGIRequestHandler

    class TimedHandler(WSGIRequestHandler):
        timeout = float(os.environ.get("DEVSTACK_READ_TIMEOUT_SECONDS", "10"))

    return TimedHandler


def serve(port: int, moto_port: int, seed: bool) -> None:
    _check_free(port, "the API", "PORT")
    _check_free(moto_port, "the embedded AWS", "MOTO_PORT")
    import requests
    from moto.server import ThreadedMotoServer
    from werkzeug.serving import run_simple

    from devstack import aws
    from devstack.gateway import Gateway
    from devstack.issuer import DevIssuer
    from devstack.openapi import document
    from devstack.runtime import Runtime

    # The functions log one JSON line per request; the two HTTP servers' access logs would only repeat it.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=moto_port, verbose=False)
    moto.start()
    endpoint = f"http://127.0.0.1:{moto_port}"
    requests.post(f"{endpoint}/moto-api/config", json=aws.MOTO_CONFIG, timeout=5)
    os.environ.update(aws.LOCAL_CREDENTIALS)
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    issuer = DevIssuer.in_directory(STATE_DIR)
    # A webhook may reach local receivers, never this stack itself (a subscription to the embedded AWS's
    # reset URL would wipe every tenant).
    own_ports = {"WEBHOOK_BLOCKED_PORTS": f"{moto_port},{port}"}
    provisioned = aws.provision({**issuer.environment(), **aws.LOCAL_SETTINGS, **own_ports})
    aws.apply_environment(provisioned.environment)
    STATE_FILE.write_text(json.dumps({"endpoint": endpoint, "environment": provisioned.environment}))
    gateway = Gateway(document, str(issuer.jwks_path))
    runtime = Runtime(provisioned)
    stop = threading.Event()
    threading.Thread(target=runtime.run_forever, args=(stop,), daemon=True, name="devstack-runtime").start()
    print(f"Handoff local stack on http://127.0.0.1:{port}  (Swagger UI: /docs, OpenAPI: /openapi.json)")
    print(f"Embedded AWS endpoint: {endpoint}   e.g. aws --endpoint-url {endpoint} dynamodb list-tables")
    for logical, name in sorted(provisioned.refs.items()):
        if name != logical:
            print(f"  {logical}: {name}")
    if seed:
        from devstack.seed import seed_world

        for line in seed_world(issuer):
            print(line)
    print("Get a token: make token EMAIL=someone@example.com", flush=True)
    try:
        run_simple(
            "127.0.0.1", port, gateway, threaded=True, use_reloader=False, request_handler=_timed_handler()
        )
    finally:
        stop.set()
        moto.stop()


def token(email: str) -> None:
    from devstack import aws
    from devstack.issuer import DevIssuer
    from devstack.seed import ensure_user

    if not STATE_FILE.exists():
        sys.exit("the local stack is not running: start it with `make run`")
    state = json.loads(STATE_FILE.read_text())
    os.environ.update(aws.LOCAL_CREDENTIALS)
    os.environ["AWS_ENDPOINT_URL"] = state["endpoint"]
    aws.apply_environment(state["environment"])
    user_id = ensure_user(email)
    print(DevIssuer.in_directory(STATE_DIR).token(user_id, email.casefold()))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="devstack")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="start the local stack")
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3000")))
    run.add_argument("--moto-port", type=int, default=int(os.environ.get("MOTO_PORT", "4566")))
    run.add_argument("--seed", action="store_true", help="load the demo world and print its tokens")
    tok = commands.add_parser("token", help="print a dev bearer token for EMAIL (creating the identity)")
    tok.add_argument("email")
    spec = commands.add_parser("openapi", help="write docs/openapi.json")
    spec.add_argument("--output", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve(args.port, args.moto_port, args.seed)
    elif args.command == "token":
        token(args.email)
    else:
        from devstack.openapi import COMMITTED, write

        write(args.output or COMMITTED)


if __name__ == "__main__":
    main()
