"""Scale-out proof on one machine: two API instances behind nginx, sharing the real PostgreSQL and Redis.

    .venv/bin/python benchmarks/scale_out.py [--seconds 8]

Shows (and exits non-zero unless all hold):
  1. content written through instance A is read through instance B;
  2. an analysis computed by A is a cache hit on B;
  3. a load test through nginx reaches both instances, and a real Prometheus scraping both sums their request
     counts to what the instances themselves report;
and reports the throughput through nginx with one instance vs two (wrk, cached analysis and content reads).
Needs nginx (Debian nginx-light), prometheus (Debian prometheus), wrk, PostgreSQL and Redis on 127.0.0.1.
Everything it starts runs on loopback and is stopped by PID; its database and Redis keys are removed afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path

import asyncpg
import httpx
import redis

from _harness import ROOT, free_port, median, require, wrk

KEY = "scale-out-admin-key-0123456789"
PG = "postgresql://postgres@127.0.0.1:5432"
HEADERS = {"X-API-Key": KEY}


@contextmanager
def process(
    command: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT
) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(
        command, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def wait_for(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not come up: {proc.stderr.read().decode() if proc.stderr else ''}")
        time.sleep(0.1)


def api(env: dict[str, str], core: str) -> tuple[AbstractContextManager[subprocess.Popen[bytes]], str]:
    port = free_port()
    command = ["taskset", "-c", core, sys.executable, "-m", "marketing_project", "serve", "--port", str(port)]
    return process(command, env), f"http://127.0.0.1:{port}"


def nginx_conf(prefix: Path, port: int, upstreams: list[str]) -> Path:
    servers = "\n".join(f"    server {u.removeprefix('http://')};" for u in upstreams)
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"""daemon off; worker_processes 1; pid {prefix}/nginx.pid; error_log {prefix}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off; client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fcgi; uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi;
  client_max_body_size 2m;
  upstream api {{
{servers}
    keepalive 64;
  }}
  server {{
    listen 127.0.0.1:{port};
    keepalive_requests 1000000;
    location / {{ proxy_pass http://api; proxy_http_version 1.1; proxy_set_header Connection ""; }}
  }}
}}
"""
    )
    return conf


def post_script(directory: Path, body: str) -> str:
    path = directory / "analyze.lua"
    path.write_text(
        'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["X-API-Key"] = "{KEY}"\nwrk.body = [==[{body}]==]\n'
    )
    return str(path)


def prometheus_total(prom: str, query: str) -> float:
    response = httpx.get(f"{prom}/api/v1/query", params={"query": query}, timeout=5).json()
    results = response["data"]["result"]
    return float(results[0]["value"][1]) if results else 0.0


def instance_total(base: str) -> float:
    total = 0.0
    for line in httpx.get(f"{base}/metrics", timeout=5).text.splitlines():
        if line.startswith("http_requests_total{"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=8)
    args = parser.parse_args()
    for tool in ("nginx", "prometheus", "wrk", "taskset"):
        require(tool)
    database = f"mp_scale_{uuid.uuid4().hex[:8]}"
    prefix = f"scale{uuid.uuid4().hex[:8]}"
    asyncio.run(_pg(f'CREATE DATABASE "{database}"'))
    checks: list[tuple[str, bool]] = []
    try:
        with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
            work = Path(tmp)
            env = {
                "API_KEY": KEY,
                "POSTGRES_URL": f"{PG}/{database}",
                "REDIS_URL": "redis://127.0.0.1:6379/14",
                "REDIS_KEY_PREFIX": prefix,
                "LOG_LEVEL": "WARNING",
            }
            bases = []
            for name in ("a", "b"):
                (work / name).mkdir()
                ctx, base = api({**env, "DATA_DIR": str(work / name)}, "1")
                proc = stack.enter_context(ctx)
                wait_for(f"{base}/api/v1/ready", proc)
                bases.append(base)
            a, b = bases

            created = httpx.post(
                f"{a}/api/v1/content",
                headers=HEADERS,
                json={"id": "shared-1", "type": "blog_post", "title": "Written on A", "content": "Hello from A."},
            )
            read = httpx.get(f"{b}/api/v1/content/shared-1", headers=HEADERS)
            checks.append(
                (
                    "content written via A is read via B",
                    created.status_code == 201 and read.json().get("title") == "Written on A",
                )
            )
            httpx.get(f"{a}/api/v1/content/shared-1", headers=HEADERS)  # now cached on A too
            httpx.patch(f"{b}/api/v1/content/shared-1", headers=HEADERS, json={"title": "Changed on B"})
            checks.append(
                (
                    "a write on B is seen by A's next read",
                    httpx.get(f"{a}/api/v1/content/shared-1", headers=HEADERS).json().get("title") == "Changed on B",
                )
            )

            corpus = ROOT.parent / "shared" / "corpus" / "blog_post_expel_ml_monitoring.json"
            post = (
                json.loads(corpus.read_text())
                if corpus.exists()
                else {"title": "Post", "content": "Marketing works. " * 400}
            )
            payload = {"content": {"type": "blog_post", "title": post["title"], "content": post["content"]}}
            first = httpx.post(
                f"{a}/api/v1/analyze", headers={**HEADERS, "Accept-Encoding": "identity"}, json=payload, timeout=30
            )
            second = httpx.post(
                f"{b}/api/v1/analyze", headers={**HEADERS, "Accept-Encoding": "identity"}, json=payload, timeout=30
            )
            checks.append(
                (
                    "an analysis computed by A is a cache hit on B",
                    first.json()["cached"] is False and second.json()["cached"] is True,
                )
            )

            prom_port = free_port()
            prom_conf = work / "prometheus.yml"
            targets = ", ".join(f"'{u.removeprefix('http://')}'" for u in bases)
            prom_conf.write_text(
                "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: marketing-project\n"
                f"    static_configs:\n      - targets: [{targets}]\n"
            )
            prom_proc = stack.enter_context(
                process(
                    [
                        "prometheus",
                        f"--config.file={prom_conf}",
                        f"--storage.tsdb.path={work / 'tsdb'}",
                        f"--web.listen-address=127.0.0.1:{prom_port}",
                    ]
                )
            )
            prom = f"http://127.0.0.1:{prom_port}"
            wait_for(f"{prom}/-/ready", prom_proc)

            script = post_script(work, json.dumps(payload))
            results: dict[str, list[float]] = {
                "one: analyze": [],
                "two: analyze": [],
                "one: content": [],
                "two: content": [],
            }
            (work / "ngx1").mkdir()
            (work / "ngx2").mkdir()
            ports = [free_port(), free_port()]
            conf_one = nginx_conf(work / "ngx1", ports[0], bases[:1])
            conf_two = nginx_conf(work / "ngx2", ports[1], bases)
            stack.enter_context(process(["taskset", "-c", "0", "nginx", "-p", str(work / "ngx1"), "-c", str(conf_one)]))
            stack.enter_context(process(["taskset", "-c", "0", "nginx", "-p", str(work / "ngx2"), "-c", str(conf_two)]))
            for port in ports:
                wait_for(f"http://127.0.0.1:{port}/api/v1/health", prom_proc)
            content_url = "/api/v1/content/shared-1"
            for _ in range(2):
                for label, port in (("one", ports[0]), ("two", ports[1])):
                    results[f"{label}: analyze"].append(
                        wrk(f"http://127.0.0.1:{port}/api/v1/analyze", args.seconds, script=script)
                    )
                    results[f"{label}: content"].append(
                        wrk(f"http://127.0.0.1:{port}{content_url}", args.seconds, headers=[f"X-API-Key: {KEY}"])
                    )

            time.sleep(3)  # two scrape intervals after the last request
            own = [instance_total(base) for base in bases]
            summed = prometheus_total(prom, "sum(http_requests_total)")
            by_instance = prometheus_total(prom, "count(sum by (instance) (http_requests_total) > 0)")
            # the instances' own counters also include the scrapes' /metrics requests made after Prometheus' last scrape
            checks.append(("Prometheus scrapes both instances", by_instance == 2))
            checks.append(
                (
                    f"Prometheus' sum ({summed:.0f}) matches the instances' own counts ({sum(own):.0f}) within 1%",
                    abs(summed - sum(own)) <= 0.01 * sum(own) + 10,
                )
            )
            checks.append(("both instances served load through nginx", min(own) > 1000))

        print(f"command: .venv/bin/python benchmarks/scale_out.py --seconds {args.seconds}")
        print(
            "wrk -t1 -c32 through nginx (nginx and wrk on core 0, both API instances on core 1: "
            "one core serves either way)"
        )
        print("| through nginx | one instance req/s | two instances req/s | ratio |")
        print("|---|---|---|---|")
        for what in ("analyze", "content"):
            one, two = median(results[f"one: {what}"]), median(results[f"two: {what}"])
            label = "cached `POST /api/v1/analyze`" if what == "analyze" else "`GET /api/v1/content/{id}`"
            print(f"| {label} | {one:.0f} | {two:.0f} | {two / one:.2f}x |")
        for text, ok in checks:
            print(f"- [{'x' if ok else ' '}] {text}")
        return 0 if all(ok for _, ok in checks) else 1
    finally:
        asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        client = redis.Redis.from_url("redis://127.0.0.1:6379/14")
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()


async def _pg(statement: str) -> None:
    conn = await asyncpg.connect(f"{PG}/test")
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


if __name__ == "__main__":
    sys.exit(main())
