"""Documents per second through POST /api/v1/analyze (wrk), next to GET /api/v1/health of the same server.

    .venv/bin/python benchmarks/analysis_http.py [--seconds 8] [--rounds 3]

The body is the ~830-word customer-story post of ../shared/corpus (wrapped in {"content": ...}); wrk sends the
same body each time and nothing caches it, so every request runs the full analysis.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from _harness import ROOT, median, uvicorn_server, wrk

KEY = "benchmark-admin-key-0123456789"
CORPUS = ROOT.parent / "shared" / "corpus" / "blog_post_expel_ml_monitoring.json"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    post = json.loads(CORPUS.read_text())
    body = json.dumps(
        {
            "content": {"type": "blog_post", "title": post["title"], "content": post["content"]},
            "focus_keyphrase": "ML monitoring",
        }
    )
    health_rps: list[float] = []
    analyze_rps: list[float] = []
    with tempfile.TemporaryDirectory() as data_dir:
        script = Path(data_dir) / "post.lua"
        script.write_text(
            'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
            f'wrk.headers["X-API-Key"] = "{KEY}"\nwrk.body = [==[{body}]==]\n'
        )
        env = {"API_KEY": KEY, "DATA_DIR": data_dir, "LOG_LEVEL": "WARNING", "POSTGRES_URL": "", "REDIS_URL": ""}
        with uvicorn_server("marketing_project.app:app_factory", env=env, factory=True) as ours:
            for _ in range(args.rounds):
                health_rps.append(wrk(f"{ours}/api/v1/health", args.seconds))
                analyze_rps.append(wrk(f"{ours}/api/v1/analyze", args.seconds, connections=8, script=str(script)))
    health, analyze = median(health_rps), median(analyze_rps)
    print(f"command: .venv/bin/python benchmarks/analysis_http.py --seconds {args.seconds} --rounds {args.rounds}")
    print("wrk -t1 (core 0) against one uvicorn worker (core 1); medians of alternating rounds")
    print(f"| ours `GET /api/v1/health` (c=32) | {health:.0f} req/s | {[round(v) for v in health_rps]} |")
    print(
        f"| ours `POST /api/v1/analyze`, {len(post['content'].split())}-word post (c=8) | {analyze:.0f} docs/s "
        f"| {[round(v) for v in analyze_rps]} | {1000 / analyze:.2f} ms of server time per document |"
    )


if __name__ == "__main__":
    main()
