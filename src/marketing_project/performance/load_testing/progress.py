"""Live progress on the terminal: stage, elapsed, req/s, p95 and errors of the last second (to stderr).

On a terminal a rich Live line redraws once a second (no refresh thread, which would take the load generator's
CPU); elsewhere, e.g. in CI logs, a plain line is printed every ten seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from rich.console import Console
from rich.live import Live
from rich.text import Text

from marketing_project.performance.load_testing.engine import Progress
from marketing_project.performance.load_testing.summary import ms


def render(stage: str, p: Progress) -> str:
    second = p.last_second
    rps = second.requests if second else 0
    p95 = ms(second.p95) if second and second.requests else "-"
    done = p.successes + p.failures
    share = f" ({100 * p.failures / done:.1f}%)" if done and p.failures else ""
    return (
        f"{stage} {p.elapsed:.0f}/{p.duration:.0f}s | {rps:,} req/s | p95 {p95} | {done:,} requests | "
        f"{p.failures:,} errors{share} | {p.in_flight} in flight"
    )


class LiveProgress:
    def __init__(self, file: IO[str] | None = None, enabled: bool = True) -> None:
        self.console = Console(file=file, stderr=file is None, highlight=False)
        self.enabled = enabled
        self._live: Live | None = None

    def __enter__(self) -> LiveProgress:
        if self.enabled and self.console.is_terminal:
            self._live = Live(Text(""), console=self.console, auto_refresh=False, transient=False)
            self._live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None

    def callback(self, stage: str) -> Callable[[Progress], None] | None:
        if not self.enabled:
            return None

        def show(progress: Progress) -> None:
            line = render(stage, progress)
            if self._live is not None:
                self._live.update(Text(line), refresh=True)
            elif int(progress.elapsed) % 10 == 0:
                self.console.print(line)

        return show
