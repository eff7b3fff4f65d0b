"""End to end through the cache: cached POST /api/v1/analyze vs GET /api/v1/health, and vs uncached analysis.

    .venv/bin/python benchmarks/cache_http.py [--seconds 6] [--rounds 3]

Two servers (same flags, one worker each, core 1): one with the cache on, one with PERFORMANCE_CACHE_ENABLED=false.
wrk (core 0) repeats the same ~830-word post, so the first server answers from the cache after the first request.
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
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    post = json.loads(CORPUS.read_text())
    body = json.dumps({"content": {"type": "blog_post", "title": post["title"], "content": post["content"]}})
    rows: dict[str, list[float]] = {"health": [], "cached": [], "uncached": []}
    with tempfile.TemporaryDirectory() as data_dir:
        script = Path(data_dir) / "post.lua"
        script.write_text(
            'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
            f'wrk.headers["X-API-Key"] = "{KEY}"\nwrk.body = [==[{body}]==]\n'
        )
        base = {"API_KEY": KEY, "LOG_LEVEL": "WARNING", "POSTGRES_URL": "", "REDIS_URL": "", "DATABASE_URL": ""}
        cached_env = {**base, "DATA_DIR": f"{data_dir}/a"}
        uncached_env = {**base, "DATA_DIR": f"{data_dir}/b", "PERFORMANCE_CACHE_ENABLED": "false"}
        app = "marketing_project.app:app_factory"
        with (
            uvicorn_server(app, env=cached_env, factory=True) as cached,
            uvicorn_server(app, env=uncached_env, factory=True) as uncached,
        ):
            for _ in range(args.rounds):
                rows["health"].append(wrk(f"{cached}/api/v1/health", args.seconds))
                rows["cached"].append(wrk(f"{cached}/api/v1/analyze", args.seconds, script=str(script)))
                rows["uncached"].append(
                    wrk(f"{uncached}/api/v1/analyze", args.seconds, connections=8, script=str(script))
                )
    health, hit, miss = (median(rows[name]) for name in ("health", "cached", "uncached"))
    paired = median([c / h for c, h in zip(rows["cached"], rows["health"], strict=True)])
    print(f"command: .venv/bin/python benchmarks/cache_http.py --seconds {args.seconds} --rounds {args.rounds}")
    print("| request | req/s (median) | ratio | rounds |")
    print("|---|---|---|---|")
    print(f"| `GET /api/v1/health` (c=32) | {health:.0f} | 1.00x | {[round(v) for v in rows['health']]} |")
    print(
        f"| `POST /api/v1/analyze`, cached (c=32) | {hit:.0f} | {hit / health:.2f}x of health "
        f"(paired {paired:.2f}x) | {[round(v) for v in rows['cached']]} |"
    )
    print(
        f"| `POST /api/v1/analyze`, cache off (c=8) | {miss:.0f} | cached is {hit / miss:.1f}x faster "
        f"| {[round(v) for v in rows['uncached']]} |"
    )


if __name__ == "__main__":
    main()
