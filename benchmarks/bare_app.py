"""The peer of benchmarks/http_baseline.py: a bare FastAPI app with one JSON route, nothing else."""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI()


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok", "version": "0.1.0"}
