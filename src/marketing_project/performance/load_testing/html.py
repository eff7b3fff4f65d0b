"""The HTML report (`--html`): one self-contained file, charts drawn as inline SVG — no script, no CDN."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path
from typing import Any

_W, _H, _PAD = 760, 220, 48
_STYLE = """body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:980px;color:#1d2430}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{padding:.25rem .6rem;border-bottom:1px solid #dde;
text-align:right}td:first-child,th:first-child{text-align:left}.pass{color:#137333}.fail{color:#b3261e;font-weight:600}
h2{margin-top:2.2rem;border-top:2px solid #eef;padding-top:1rem}svg{background:#fafbff;border:1px solid #e3e6f0}
.muted{color:#667}code{background:#f2f3f7;padding:0 .25rem}"""
Series = tuple[str, str, Sequence[float | None]]


def _fmt_ms(value: float) -> str:
    return f"{value * 1000:.3g} ms" if value < 1 else f"{value:.3g} s"


def _fmt_n(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def line_chart(title: str, xs: Sequence[int], series: Sequence[Series], fmt: Callable[[float], str]) -> str:
    values = [v for _, _, data in series for v in data if v is not None]
    if not xs or not values:
        return f"<p class=muted>{escape(title)}: no data</p>"
    top = max(values) * 1.1 or 1.0
    span = max(xs[-1] - xs[0], 1)

    def x(v: float) -> float:
        return _PAD + (v - xs[0]) / span * (_W - _PAD - 10)

    def y(v: float) -> float:
        return _H - 24 - v / top * (_H - 44)

    parts = [f'<svg width="{_W}" height="{_H}" role="img" aria-label="{escape(title)}">']
    parts.append(f'<text x="{_PAD}" y="14" font-size="12" font-weight="600">{escape(title)}</text>')
    for i in range(5):
        level = top * i / 4
        parts.append(f'<line x1="{_PAD}" x2="{_W - 10}" y1="{y(level):.1f}" y2="{y(level):.1f}" stroke="#e3e6f0"/>')
        parts.append(
            f'<text x="{_PAD - 4}" y="{y(level) + 4:.1f}" font-size="10" text-anchor="end">{fmt(level)}</text>'
        )
    for tick in xs[:: max(1, len(xs) // 8)]:
        parts.append(f'<text x="{x(tick):.1f}" y="{_H - 8}" font-size="10" text-anchor="middle">{tick}s</text>')
    for n, (label, color, data) in enumerate(series):
        points = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in zip(xs, data, strict=False) if v is not None)
        dash = ' stroke-dasharray="5 4"' if label.startswith("target") else ""
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.6"{dash} points="{points}"/>')
        lx = _W - 150
        parts.append(f'<rect x="{lx}" y="{20 + n * 14}" width="10" height="3" fill="{color}"/>')
        parts.append(f'<text x="{lx + 14}" y="{25 + n * 14}" font-size="10">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _stage(stage: dict[str, Any]) -> str:
    result = stage["result"]
    timeline = result["timeline"]
    xs = [s["second"] for s in timeline]
    verdict = '<span class="pass">passed</span>' if stage["passed"] else '<span class="fail">failed</span>'
    out = [f"<h2>{escape(stage['name'])} <small class=muted>{escape(stage['description'])}</small> — {verdict}</h2>"]
    if result["message"]:
        out.append(f"<p class=fail>{escape(result['status'])}: {escape(result['message'])}</p>")
    out.append(
        f"<p>{result['total_requests']:,} requests, {result['failed_requests']:,} failed "
        f"({result['error_rate']:.2f}%), {result['requests_per_second']:,.1f} req/s, "
        f"{escape(result['model'])} model, {result['duration_seconds']:.1f} s.</p>"
    )
    latency = [
        ("p50", "#2f6fdb", [s["p50"] if s["requests"] else None for s in timeline]),
        ("p95", "#e08a00", [s["p95"] if s["requests"] else None for s in timeline]),
        ("p99", "#b3261e", [s["p99"] if s["requests"] else None for s in timeline]),
    ]
    out.append(line_chart("Latency per second", xs, latency, _fmt_ms))
    throughput: list[Series] = [
        ("requests/s", "#2f6fdb", [float(s["requests"]) for s in timeline]),
        ("failures/s", "#b3261e", [float(s["failures"]) for s in timeline]),
    ]
    if any(s.get("target_rate") for s in timeline):
        throughput.append(("target rate", "#667", [s.get("target_rate") for s in timeline]))
    out.append(line_chart("Throughput per second", xs, throughput, _fmt_n))
    rows = [
        [
            escape(e["name"]),
            f"{e['total_requests']:,}",
            f"{e['failed_requests']:,}",
            f"{e['requests_per_second']:,.1f}",
            *(_fmt_ms(e["latency"][k]) for k in ("mean", "p50", "p90", "p95", "p99", "p99.9", "max")),
        ]
        for e in result["endpoints"]
    ]
    out.append(
        _table(["endpoint", "requests", "failed", "req/s", "mean", "p50", "p90", "p95", "p99", "p99.9", "max"], rows)
    )
    checks = stage["slo"]["checks"]
    if checks:
        out.append(
            _table(
                ["objective", "actual", "result"],
                [
                    [
                        escape(c["objective"]),
                        f"{c['actual']:.4g}",
                        "pass" if c["passed"] else '<b class="fail">fail</b>',
                    ]
                    for c in checks
                ],
            )
        )
    if stage["parts"]:
        rows = [
            [escape(p["name"]), f"{p['total_requests']:,}", f"{p['error_rate']:.2f}%",
             f"{p['requests_per_second']:,.1f}", _fmt_ms(p["p95_response_time"]), _fmt_ms(p["p99_response_time"])]
            for p in stage["parts"]
        ]  # fmt: skip
        out.append(_table(["step / phase", "requests", "errors", "req/s", "p95", "p99"], rows))
    if stage["findings"]:
        import orjson

        findings = orjson.dumps(stage["findings"], option=orjson.OPT_INDENT_2).decode()
        out.append(f"<details><summary>findings</summary><pre>{escape(findings)}</pre></details>")
    return "".join(out)


def render_html(report: dict[str, Any]) -> str:
    analysis = report["analysis"]
    out = [
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Load test — {escape(report['target'])}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>Load test: {escape(report['test'])}</h1>",
        f"<p>Target <code>{escape(report['target'])}</code>, {escape(report['generated_at'])}, "
        f"{escape(report['tool'])}. Overall: "
        + ('<b class="pass">passed</b>' if report["passed"] else '<b class="fail">failed</b>')
        + (f" — {escape(report['message'])}" if report["message"] else "")
        + "</p>",
    ]
    out += [f"<p class=muted>{escape(note)}</p>" for note in report["notes"]]
    if analysis["recommendations"]:
        out.append("<h2>Analysis</h2><ul>" + "".join(f"<li>{escape(r)}</li>" for r in analysis["recommendations"]))
        out.append("</ul>")
    if analysis["error_patterns"]:
        rows = [[escape(e["reason"]), f"{e['count']:,}", f"{e['share_percent']:.2f}%",
                 escape(", ".join(e["endpoints"]))] for e in analysis["error_patterns"]]  # fmt: skip
        out.append(_table(["failure", "count", "share", "endpoints"], rows))
    baseline = report.get("baseline")
    if baseline:
        rows = [
            [escape(r["stage"]), escape(r["metric"]), f"{r['baseline']:.4g}" if r["baseline"] is not None else "-",
             f"{r['current']:.4g}" if r["current"] is not None else "-",
             f"{r['change_percent']:+.1f}%" if r["change_percent"] is not None else "-",
             '<b class="fail">regression</b>' if r["regression"] else "ok"]
            for r in baseline["comparisons"]
        ]  # fmt: skip
        out.append(f"<h2>Against the baseline <small>{escape(str(baseline['file']))}</small></h2>")
        out.append(_table(["stage", "metric", "baseline", "current", "change", ""], rows))
    out += [_stage(stage) for stage in report["stages"]]
    out.append("</body></html>")
    return "\n".join(out)


def write_html(report: dict[str, Any], path: str) -> None:
    Path(path).write_text(render_html(report), encoding="utf-8")
