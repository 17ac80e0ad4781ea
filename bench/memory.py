"""A process's own peak memory, for benchmarks that run each side in a child process.

Not `resource.getrusage(...).ru_maxrss`: Linux keeps the largest resident size across `execve`,
so a child spawned by a benchmark whose parent holds the generated city reports the parent's
peak, not its own (a parent at 600 MB makes an empty child report 610 MB). VmHWM is the peak
of the process's own address space.
"""

from __future__ import annotations

from pathlib import Path


def peak_rss_mb() -> float:
    """This process's peak resident set since it started, in MiB (VmHWM)."""
    return _status_kib("VmHWM") / 1024


def rss_mb() -> float:
    """This process's resident set now, in MiB (VmRSS)."""
    return _status_kib("VmRSS") / 1024


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")
