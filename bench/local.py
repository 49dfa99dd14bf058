"""The embedded stack under many transactional writes: memory after N writes, for two N, and the ratio.

Each round registers a new identity (a TransactWriteItems of two items) and retries one that exists (a
cancelled transaction), so both moto paths that used to copy the table run. With moto's own
`transact_write_items` the table was deep-copied per call and memory grew with it; devstack's replacement
copies nothing, so the second figure should be close to the first.
"""

from __future__ import annotations

import gc
import os
import resource
import time

from moto import mock_aws

from devstack import aws

COUNTS = [int(n) for n in os.environ.get("BENCH_WRITES", "5000,20000").split(",")]


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def main() -> None:
    os.environ.update(aws.LOCAL_CREDENTIALS)
    with mock_aws(config=aws.MOTO_CONFIG):
        provisioned = aws.provision(
            {"JWKS_URL": "file:///dev/null", "TOKEN_ISSUER": "bench", "TOKEN_AUDIENCE": "bench"}
        )
        aws.apply_environment(provisioned.environment)
        from handoff.accounts import repository
        from handoff.errors import Conflict

        figures = []
        done, conflicts, started = 0, 0, time.perf_counter()
        gc.collect()
        baseline = rss_mb()
        for target in COUNTS:
            while done < target:
                user = repository.new_user(f"user{done}@bench.example", "Bench")
                repository.register_user(user)
                try:
                    repository.register_user(repository.new_user(f"user{done}@bench.example", "Again"))
                except Conflict:
                    conflicts += 1
                done += 1
            gc.collect()
            figures.append((target, rss_mb(), time.perf_counter() - started))
        print(f"baseline after provisioning: {baseline:.0f} MB RSS")
        previous = (0, baseline, 0.0)
        for target, memory, elapsed in figures:
            writes = target - previous[0]
            per_mb = (memory - previous[1]) / writes * 1000
            per_s = (elapsed - previous[2]) / writes * 1000
            print(
                f"after {target:>6} writes (+{target} cancelled): {memory:6.0f} MB RSS; "
                f"this stretch {per_mb:5.2f} MB and {per_s:5.2f} s per 1000 writes"
            )
            previous = (target, memory, elapsed)
        (n1, m1, t1), (n2, m2, t2) = figures[0], figures[-1]
        slowdown = ((t2 - t1) / (n2 - n1)) / (t1 / n1)
        print(f"memory: {m1:.0f} MB after {n1} writes, {m2:.0f} MB after {n2}: ratio {m2 / m1:.2f}")
        print(f"time per write, last stretch vs first: {slowdown:.2f}x (1.00: no write slows the next)")


if __name__ == "__main__":
    main()
