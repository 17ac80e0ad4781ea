"""Benchmark: the check endpoint against a bare FastAPI endpoint, served the same way.

    python -m bench.check --backend sqlite --subjects 100000
    python -m bench.check --backend postgresql          # ECREDIT_BENCH_ADMIN_URL or the default

Seeds N merchants (with grades and list entries, bench/check_data.py), starts `ecredit serve`
(one process) and `python -m bench.bare_app` (uvicorn, one process, the same way), and runs
`wrk -t2 -c64 -d10s --latency` against each: the check with a Lua script rotating through a
seeded sample of subject codes (a hot set: 5 000 of the 100 000 by default) and the API key
header, the bare endpoint as is. The check is warmed first, unmeasured: one sequential request
per code of the sample (the cold path), so the measured run shows the steady state.
Prints requests/s, p99 and the ratios.
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.check_data import seed
from bench.common import (
    bench_database_url,
    free_port,
    running_server,
    server_environment,
)
from ecredit.audit import changes
from ecredit.kit import migrate
from ecredit.kit.db import Database
from ecredit.models.org import OrgKind
from ecredit.org.schemas import ApiKeyCreate, OrganisationCreate
from ecredit.org.service import organisation_service

LUA = """
local codes = {%s}
local key = "%s"
local i = 0
setup = function(thread) thread:set("offset", math.random(1, #codes)) end
request = function()
  i = i + 1
  local code = codes[((i + (offset or 0)) %% #codes) + 1]
  return wrk.format("GET", "/api/v1/checks?code=" .. code, {["X-API-Key"] = key})
end
"""
UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0}


@dataclass
class Figures:
    requests_per_second: float
    p99_ms: float
    non_2xx: int


def wrk(url: str, script: Path | None, duration: int) -> Figures:
    command = ["wrk", "-t2", "-c64", f"-d{duration}s", "--latency"]
    command += ["-s", str(script)] if script else []
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", output).groups()  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Figures(rate, float(value) * UNITS[unit] * 1000, int(errors.group(1)) if errors else 0)


@contextmanager
def bare_server() -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-m", "bench.bare_app", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready_bare(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_ready_bare(base: str, process: subprocess.Popen[bytes]) -> None:
    import httpx

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/bare", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)  # polling a starting server, bounded by the deadline
    raise RuntimeError("the bare server did not start")


def prepare(backend: str, workdir: Path, subjects: int) -> tuple[str, str, list[str]]:
    """A migrated, seeded database; returns (url, API key, codes)."""
    if backend == "postgresql":
        url = bench_database_url()
    else:
        url = f"sqlite:///{(workdir / 'check.sqlite3').as_posix()}"
        migrate.upgrade(url)
    changes.install()
    db = Database.from_url(url)
    started = time.perf_counter()
    codes = seed(db.engine, url, subjects)
    print(f"seeded {subjects} subjects in {time.perf_counter() - started:.1f} s")
    with db.unit_of_work() as session:
        org = organisation_service.create(
            session, OrganisationCreate(name="压测平台", kind=OrgKind.PLATFORM)
        )
        data = ApiKeyCreate(organisation_id=org.id, name="bench", scopes=["check:read"])
        _key, plaintext = organisation_service.create_api_key(session, data)
    db.dispose()
    return url, plaintext, codes


def warm(base: str, key: str, codes: list[str]) -> None:
    import httpx

    started = time.perf_counter()
    with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=10) as client:
        for code in codes:
            client.get("/api/v1/checks", params={"code": code}).raise_for_status()
    print(f"warmed {len(codes)} codes (cold path) in {time.perf_counter() - started:.1f} s")


def run(backend: str, subjects: int, sample: int, duration: int) -> dict[str, Figures]:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url, key, codes = prepare(backend, workdir, subjects)
        rotation = random.Random(5).sample(codes, min(sample, len(codes)))
        script = workdir / "check.lua"
        script.write_text(LUA % (",".join(f'"{c}"' for c in rotation), key))
        env = server_environment(url, workdir / "data")
        figures = {}
        with bare_server() as base:
            wrk(f"{base}/bare", None, 3)
            figures["bare"] = wrk(f"{base}/bare", None, duration)
        with running_server(env) as base:
            warm(base, key, rotation)  # unmeasured: every code of the sample answered once
            figures["check"] = wrk(base, script, duration)
        return figures


def report(backend: str, figures: dict[str, Figures]) -> None:
    bare, check = figures["bare"], figures["check"]
    rate_ratio = check.requests_per_second / bare.requests_per_second
    p99_ratio = check.p99_ms / bare.p99_ms
    print(f"[{backend}] bare:  {bare.requests_per_second:9.0f} req/s  p99 {bare.p99_ms:7.2f} ms")
    print(f"[{backend}] check: {check.requests_per_second:9.0f} req/s  p99 {check.p99_ms:7.2f} ms"
          f"  non-2xx {check.non_2xx}")  # fmt: skip
    print(f"[{backend}] ratio: {rate_ratio:.0%} of bare req/s (target ≥ 50 %), "
          f"p99 {p99_ratio:.2f}× bare (target ≤ 2×) → "
          f"{'MET' if rate_ratio >= 0.5 and p99_ratio <= 2 else 'NOT MET'}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--subjects", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=5_000, help="codes the script rotates")
    parser.add_argument("--duration", type=int, default=10)
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in backends:
        figures = run(backend, args.subjects, args.sample, args.duration)
        report(backend, figures)


if __name__ == "__main__":
    main()
