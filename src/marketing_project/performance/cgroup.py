"""The container's memory and CPU limits from cgroup v2 or v1, when the process runs under one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# cgroup v1 reports "no limit" as a huge page-aligned number rather than a keyword
_V1_UNLIMITED = 1 << 60


@dataclass(frozen=True, slots=True)
class Limits:
    memory_bytes: int | None
    cpu_cores: float | None
    source: str


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except OSError:
        return None


def _own_v2_dir(root: Path, proc_cgroup: Path) -> list[Path]:
    """The process's own cgroup directory first (no cgroup namespace), then the mount root (namespaced)."""
    candidates = []
    text = _read(proc_cgroup) or ""
    for line in text.splitlines():
        if line.startswith("0::"):
            relative = line[3:].strip().lstrip("/")
            if relative:
                candidates.append(root / relative)
    candidates.append(root)
    return candidates


def read_limits(root: Path = Path("/sys/fs/cgroup"), proc_cgroup: Path = Path("/proc/self/cgroup")) -> Limits:
    for directory in _own_v2_dir(root, proc_cgroup):
        memory = _read(directory / "memory.max")
        cpu = _read(directory / "cpu.max")
        if memory is None and cpu is None:
            continue
        memory_bytes = int(memory) if memory and memory.isdigit() else None
        cpu_cores = None
        if cpu:
            quota, _, period = cpu.partition(" ")
            if quota.isdigit() and period.isdigit() and int(period):
                cpu_cores = int(quota) / int(period)
        return Limits(memory_bytes, cpu_cores, "cgroup v2")
    return _v1(root)


def _v1(root: Path) -> Limits:
    memory = _read(root / "memory" / "memory.limit_in_bytes")
    quota = _read(root / "cpu" / "cpu.cfs_quota_us")
    period = _read(root / "cpu" / "cpu.cfs_period_us")
    if memory is None and quota is None:
        return Limits(None, None, "none")
    memory_bytes = int(memory) if memory and memory.isdigit() and int(memory) < _V1_UNLIMITED else None
    cpu_cores = None
    if quota and period and quota.isdigit() and period.isdigit() and int(period):
        cpu_cores = int(quota) / int(period)
    return Limits(memory_bytes, cpu_cores, "cgroup v1")
