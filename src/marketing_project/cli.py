"""`marketing-project` command line: serve (and, as they land, analyze, loadtest, db)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

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


def _read_content(path: Path, content_type: str | None) -> dict[str, Any]:
    """A content object from FILE.json (as the API takes it) or from a Markdown/text file (title: first heading)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        data = orjson.loads(text)
        if not isinstance(data, dict) or not isinstance(data.get("content"), str):
            raise ValueError(f"{path}: expected a JSON object with a string `content`")
    else:
        heading = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), None)
        data = {"title": heading or path.stem, "content": text}
    data["type"] = content_type or data.get("type") or data.get("content_type") or "blog_post"
    data.setdefault("title", path.stem)
    return data


def _analyze(args: argparse.Namespace) -> int:
    from marketing_project.analysis import render_report
    from marketing_project.content.analyze import analyze_checked, build_input
    from marketing_project.errors import AppError
    from marketing_project.settings import load_settings

    settings = load_settings()
    try:
        content = _read_content(Path(args.file), args.type)
        inp, _ = build_input(
            content,
            focus_keyphrase=args.keyphrase,
            meta_description=args.meta_description,
            options={},
            max_words=settings.max_content_words,
        )
        result = analyze_checked(inp)
    except AppError as exc:
        print(f"marketing-project analyze: {exc.message}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as exc:
        print(f"marketing-project analyze: {exc}", file=sys.stderr)
        return 1
    if args.json:
        sys.stdout.write(orjson.dumps(result.to_dict(), option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        print(render_report(result))
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
    analyze = commands.add_parser("analyze", help="analyze a Markdown, text or JSON file and print a report")
    analyze.add_argument("file", help="FILE.md, FILE.txt or FILE.json (a content object as the API takes it)")
    analyze.add_argument("--keyphrase", help="focus keyphrase")
    analyze.add_argument("--meta-description", help="meta description")
    analyze.add_argument(
        "--type",
        choices=("blog_post", "transcript", "release_notes"),
        help="content type (default: the file's `type`, else blog_post)",
    )
    analyze.add_argument("--json", action="store_true", help="print the full result as JSON")
    analyze.set_defaults(handler=_analyze)
    from marketing_project.performance.load_testing import cli as load_testing

    loadtest = commands.add_parser("loadtest", help="load-test a running API (same flags as run_load_test.py)")
    load_testing.add_arguments(loadtest)
    loadtest.set_defaults(handler=load_testing.run)
    from marketing_project.db.commands import add_commands

    add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result: int = args.handler(args)
    except SettingsError as exc:
        print(f"marketing-project: {exc}", file=sys.stderr)
        return 2
    return result
