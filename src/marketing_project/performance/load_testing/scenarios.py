"""Built-in traffic against our own API, weighted like real use: mostly reads, some analysis, a few writes.

`basic` is the read path (health, list, get). `mix` adds readiness, analysis of new posts (never cached) and of
repeated ones (served from the analysis cache), creates and partial updates. Set-up stores a few posts to read
and update (ids `lt-<run>-<n>`) and deletes them afterwards; posts created during the run carry
`metadata.source = "load-test"` so they can be found and removed.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson

from marketing_project.performance.load_testing.config import EndpointSpec
from marketing_project.performance.load_testing.wire import Target, fetch

SEED_POSTS = 12
_TOPICS = [
    ("email onboarding", "activation", "welcome sequence"),
    ("pricing pages", "conversion", "plan comparison"),
    ("customer stories", "trust", "case study"),
    ("product launches", "awareness", "launch checklist"),
    ("webinars", "lead generation", "follow-up"),
    ("SEO for startups", "organic traffic", "keyword research"),
]
_SENTENCES = [
    "Most teams treat {a} as an afterthought, yet it shapes {b} more than any campaign.",
    "We looked at forty companies and found that the ones who measured {b} weekly grew twice as fast.",
    "Start with one clear promise, then show proof: numbers, names and screenshots.",
    "A good {c} answers the reader's next question before they ask it.",
    "Keep paragraphs short. Readers scan first and read second.",
    "Test one change at a time, and give each test at least two full weeks.",
    "If a sentence does not help the reader decide, cut it.",
    "Our best-performing version used plain words and a single call to action.",
]


class ScenarioError(Exception):
    """The scenario cannot run as asked (e.g. the API key is refused); the message says what to change."""


def post(index: int, nonce: str = "") -> dict[str, Any]:
    """A realistic blog post: headings, paragraphs, a list and links, ~350 words, varied by `index`."""
    rng = random.Random(index)  # noqa: S311 - sample text, not secrets
    topic, goal, thing = _TOPICS[index % len(_TOPICS)]
    fill = {"a": topic, "b": goal, "c": thing}

    def paragraph() -> str:
        return " ".join(rng.choice(_SENTENCES).format(**fill) for _ in range(rng.randint(4, 7)))

    sections = [f"# {topic.title()} that drive {goal}", paragraph(), f"## Why {topic} matter", paragraph()]
    sections.append("\n".join(f"- {s.format(**fill)}" for s in rng.sample(_SENTENCES, 4)))
    sections += [f"## A {thing} you can copy", paragraph(), f"Read more in [our guide](https://example.com/{index})."]
    sections.append(paragraph() + (f" (ref {nonce})" if nonce else ""))
    return {
        "type": "blog_post",
        "title": f"{topic.title()}: a practical {thing} #{index}",
        "content": "\n\n".join(sections),
        "author": "Load Test",
        "tags": [topic.split()[0], goal.split()[0]],
        "category": "marketing",
        "metadata": {"source": "load-test"},
    }


def _fresh_analysis(run: str) -> Callable[[int], bytes]:
    # a body whose text changes on every request, so the analysis cache cannot answer it
    template = orjson.dumps({"content": post(7, nonce="\x00NONCE\x00"), "focus_keyphrase": "conversion"})
    head, tail = template.split(b"\\u0000NONCE\\u0000")

    def body(n: int) -> bytes:
        return head + f"{run}-{n}".encode() + tail

    return body


@dataclass
class Scenario:
    name: str
    endpoints: list[EndpointSpec]
    notes: list[str] = field(default_factory=list)
    seeded: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    async def cleanup(self, target: Target) -> None:
        for content_id in self.seeded:
            try:
                await fetch(target, "DELETE", f"/api/v1/content/{content_id}", headers=self.headers, timeout_seconds=5)
            except (OSError, TimeoutError, ValueError):
                return  # the server is gone; the ids are in the notes of the report


async def prepare(target: Target, kind: str, api_key: str | None) -> Scenario:
    """Check the key, store the posts to read, and return the weighted endpoints of `kind` ("basic" or "mix")."""
    public = [
        EndpointSpec("/api/v1/health", weight=10, name="GET /api/v1/health"),
        EndpointSpec("/api/v1/ready", weight=5, name="GET /api/v1/ready"),
    ]
    if kind == "basic":
        public = public[:1]
    if not api_key:
        note = "no API key (--api-key or LOAD_TEST_API_KEY): only the public endpoints are exercised"
        return Scenario(kind, public, notes=[note])
    headers = {"X-API-Key": api_key}
    run = uuid.uuid4().hex[:8]
    scenario = Scenario(kind, list(public), headers=headers)
    probe = await fetch(target, "GET", "/api/v1/content?limit=1", headers=headers)
    if probe.status in {401, 403}:
        raise ScenarioError(f"the API key was refused (HTTP {probe.status}): check --api-key / LOAD_TEST_API_KEY")
    if probe.status != 200:
        raise ScenarioError(f"GET /api/v1/content answered HTTP {probe.status}: is {target.base_url} our API?")
    can_write = True
    for n in range(SEED_POSTS):
        content_id = f"lt-{run}-{n}"
        created = await fetch(target, "POST", "/api/v1/content", headers=headers, data={**post(n), "id": content_id})
        if created.status == 403:
            can_write = False
            scenario.notes.append("the API key is read-only (viewer): writes and analysis are skipped")
            break
        if created.status != 201:
            raise ScenarioError(f"could not store a test post: HTTP {created.status} {created.body[:200]!r}")
        scenario.seeded.append(content_id)
    reads = [(f"/api/v1/content/{i}", None) for i in scenario.seeded] or [("/api/v1/content?limit=1", None)]
    get_path = reads[0][0]
    scenario.endpoints += [
        EndpointSpec("/api/v1/content?limit=20", headers=headers, weight=15, name="GET /api/v1/content (list)"),
        EndpointSpec(get_path, headers=headers, weight=35, name="GET /api/v1/content/{id}", variants=tuple(reads)),
    ]
    if kind == "mix" and can_write:
        repeated = tuple(("/api/v1/analyze", {"content": post(100 + n)}) for n in range(8))
        updates = tuple((f"/api/v1/content/{i}", {"tags": ["load-test", i[-1]]}) for i in scenario.seeded)
        creates = tuple(("/api/v1/content", post(200 + n)) for n in range(8))
        scenario.endpoints += [
            EndpointSpec(
                "/api/v1/analyze",
                "POST",
                headers,
                weight=10,
                name="POST /api/v1/analyze (new post)",
                body_factory=_fresh_analysis(run),
            ),
            EndpointSpec(
                "/api/v1/analyze", "POST", headers, weight=15, name="POST /api/v1/analyze (repeat)", variants=repeated
            ),
            EndpointSpec("/api/v1/content", "POST", headers, weight=5, name="POST /api/v1/content", variants=creates),
            EndpointSpec(
                updates[0][0], "PATCH", headers, weight=5, name="PATCH /api/v1/content/{id}", variants=updates
            ),
        ]
    return scenario
