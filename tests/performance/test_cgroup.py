"""Container limits from cgroup v2 and v1 files (read from a fake hierarchy)."""

from __future__ import annotations

from pathlib import Path

from marketing_project.performance.cgroup import read_limits


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n")


def test_cgroup_v2_limits_of_the_process_own_group(tmp_path: Path) -> None:
    _write(tmp_path / "proc", "0::/kubepods/pod1/api")
    _write(tmp_path / "cg/kubepods/pod1/api/memory.max", "536870912")
    _write(tmp_path / "cg/kubepods/pod1/api/cpu.max", "50000 100000")
    limits = read_limits(tmp_path / "cg", tmp_path / "proc")
    assert (limits.memory_bytes, limits.cpu_cores, limits.source) == (536870912, 0.5, "cgroup v2")


def test_cgroup_v2_namespaced_root_without_limits(tmp_path: Path) -> None:
    _write(tmp_path / "proc", "0::/")
    _write(tmp_path / "cg/memory.max", "max")
    _write(tmp_path / "cg/cpu.max", "max 100000")
    limits = read_limits(tmp_path / "cg", tmp_path / "proc")
    assert (limits.memory_bytes, limits.cpu_cores, limits.source) == (None, None, "cgroup v2")


def test_cgroup_v1_limits_and_its_unlimited_sentinel(tmp_path: Path) -> None:
    _write(tmp_path / "proc", "4:memory:/docker/abc")
    _write(tmp_path / "cg/memory/memory.limit_in_bytes", "268435456")
    _write(tmp_path / "cg/cpu/cpu.cfs_quota_us", "200000")
    _write(tmp_path / "cg/cpu/cpu.cfs_period_us", "100000")
    limits = read_limits(tmp_path / "cg", tmp_path / "proc")
    assert (limits.memory_bytes, limits.cpu_cores, limits.source) == (268435456, 2.0, "cgroup v1")
    _write(tmp_path / "cg/memory/memory.limit_in_bytes", "9223372036854771712")
    _write(tmp_path / "cg/cpu/cpu.cfs_quota_us", "-1")
    limits = read_limits(tmp_path / "cg", tmp_path / "proc")
    assert (limits.memory_bytes, limits.cpu_cores) == (None, None)


def test_no_cgroup_at_all(tmp_path: Path) -> None:
    assert read_limits(tmp_path / "none", tmp_path / "none").source == "none"
