"""`marketing-project` command line: serve (and, as they land, analyze, loadtest, db)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from marketing_project import __version__
from marketing_project.errors import SettingsError


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from marketing_project.app import build_key_store
    from marketing_project.logs import configure_logging
    from marketing_project.settings import load_settings

    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    # generate (and print) the key once here, before any worker starts, so all workers share it
    build_key_store(settings)
    host = args.host or settings.host
    port = args.port or settings.port
    workers = args.workers or settings.workers
    print(f"Marketing Project API on http://{host}:{port}  (docs: http://{host}:{port}/docs)", flush=True)
    uvicorn.run(
        "marketing_project.app:app_factory",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_level=settings.log_level.lower(),
        timeout_graceful_shutdown=30,
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="marketing-project", description="Marketing Project API")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="start the API server (settings from the environment and .env)")
    serve.add_argument("--host", help="bind address (default HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default PORT or 8000)")
    serve.add_argument("--workers", type=int, help="worker processes (default WORKERS or 1)")
    serve.set_defaults(handler=_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result: int = args.handler(args)
    except SettingsError as exc:
        print(f"marketing-project: {exc}", file=sys.stderr)
        return 2
    return result
