from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import make_settings, running_app
from tests.support import EDITOR, VIEWER

GUIDE_PAYLOAD = {"content": {"id": "test", "title": "Test", "content": "Test content", "type": "blog_post"}}
POST = (
    "# Email marketing that converts\n\n"
    "Email marketing is still the channel with the best return. However, most teams send too much. "
    "In this guide you will learn how to segment your list, write subject lines and measure results.\n\n"
    "## Segment your list\n\nStart with behaviour. For example, split readers who opened the last three emails "
    "from those who did not. Then send each group what it wants.\n\n"
    "[Read our segmentation guide](/guides/segmentation) or [see the study](https://example.org/study).\n\n"
    "Sign up for a free trial today!"
)


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(make_settings(tmp_path, max_content_words=12_000)) as client:
        yield client


async def test_the_guide_payload_gets_results_and_warnings(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/analyze", json=GUIDE_PAYLOAD, headers=EDITOR)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["content_id"] == "test"
    assert body["cached"] is False
    assert 0 <= body["seo_score"] <= 100
    assert body["stats"]["words"] == 2
    assert body["warnings"]
    assert body["pipeline_ready"] is False


async def test_a_real_post_is_analyzed_with_the_focus_keyphrase(client: httpx.AsyncClient) -> None:
    payload = {
        "content": {"type": "blog_post", "title": "Email marketing that converts", "content": POST},
        "focus_keyphrase": "email marketing",
        "meta_description": "Learn how email marketing converts: segment your list, write subject lines, measure.",
    }
    first = await client.post("/api/v1/analyze", json=payload, headers=EDITOR)
    assert first.status_code == 200
    body = first.json()
    assert body["focus_keyphrase"] is not None
    assert (body["structure"]["internal_links"], body["structure"]["external_links"]) == (1, 1)
    assert body["structure"]["heading_counts"]["h2"] == 1
    ids = {assessment["id"] for assessment in body["assessments"]}
    assert {"keyphrase_density", "meta_description_length", "text_length"} <= ids
    assert body["recommendations"] == sorted(body["recommendations"], key=lambda r: -r["impact"])
    second = await client.post("/api/v1/analyze", json=payload, headers=EDITOR)
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("MISS", "HIT")
    assert second.json() == {**body, "cached": True}


@pytest.mark.parametrize(
    ("payload", "field", "status"),
    [
        ({"content": {"title": "T", "content": "   \n ", "type": "blog_post"}}, "content.content", 422),
        ({"content": {"title": "T", "content": "Text", "type": "tweet"}}, "content.type", 422),
        ({"content": {"title": "T", "content": "Text", "type": "blog_post"}, "options": {"x": 1}}, "options", 422),
        (
            {"content": {"title": "T", "content": "Text", "type": "blog_post"}, "options": {"top_n_keywords": -1}},
            "options",
            422,
        ),
        ({"content": "just a string"}, "content", 422),
        ({}, "content", 422),
    ],
)
async def test_bad_analysis_input_is_a_clear_4xx(
    client: httpx.AsyncClient, payload: dict[str, object], field: str, status: int
) -> None:
    response = await client.post("/api/v1/analyze", json=payload, headers=EDITOR)
    assert response.status_code == status, response.text
    assert response.json()["error"]["details"][0]["field"] == field


async def test_empty_content_says_so(client: httpx.AsyncClient) -> None:
    payload = {"content": {"title": "T", "content": " ", "type": "blog_post"}}
    message = (await client.post("/api/v1/analyze", json=payload, headers=EDITOR)).json()["error"]["message"]
    assert message == "content.content: must not be empty or only whitespace"


async def test_content_over_the_word_limit_is_413(tmp_path: Path) -> None:
    async with running_app(make_settings(tmp_path, max_content_words=50)) as client:
        payload = {"content": {"title": "T", "content": "word " * 51, "type": "blog_post"}}
        response = await client.post("/api/v1/analyze", json=payload, headers=EDITOR)
    assert response.status_code == 413
    assert "MAX_CONTENT_WORDS" in response.json()["error"]["message"]


async def test_viewers_cannot_analyze(client: httpx.AsyncClient) -> None:
    assert (await client.post("/api/v1/analyze", json=GUIDE_PAYLOAD, headers=VIEWER)).status_code == 403


@pytest.mark.parametrize(
    "text",
    [
        "<p>Some <b>HTML</b> content with a <a href='/x'>link</a>.</p><script>alert(1)</script>",
        "Emoji everywhere 🚀🔥 marketing 💯 works! " * 20,
        "营销自动化彻底改变了企业与客户互动的方式。" * 30,
        "التسويق الرقمي يغير طريقة تواصل الشركات مع العملاء. " * 30,
        "word " * 1000 + "and a very long sentence " + "x" * 5000,
        "[broken link](http://[::1 and ![](  ) and [unclosed](http://a.com",
    ],
)
async def test_unusual_text_is_analyzed_not_a_server_error(client: httpx.AsyncClient, text: str) -> None:
    payload = {"content": {"title": "Odd", "content": text, "type": "blog_post"}}
    response = await client.post("/api/v1/analyze", json=payload, headers=EDITOR)
    assert response.status_code == 200, response.text


async def test_a_ten_thousand_word_transcript(client: httpx.AsyncClient) -> None:
    lines = [
        f"**{'Sarah' if i % 2 else 'Mike'}:** um so we think the campaign did well, you know. " * 5 for i in range(200)
    ]
    content = "\n\n".join(lines)
    payload = {"content": {"title": "Meeting", "content": content, "type": "transcript"}}
    response = await client.post("/api/v1/analyze", json=payload, headers=EDITOR)
    assert response.status_code == 200
    body = response.json()
    assert body["stats"]["words"] > 10_000
    assert body["transcript"] is not None


async def test_batch_reports_each_item(client: httpx.AsyncClient) -> None:
    items = [GUIDE_PAYLOAD, {"content": {"title": "T", "content": " ", "type": "blog_post"}}, {"bogus": True}, "text"]
    response = await client.post("/api/v1/analyze/batch", json={"items": items}, headers=EDITOR)
    assert response.status_code == 200
    body = response.json()
    assert (body["succeeded"], body["failed"]) == (1, 3)
    assert [item["status"] for item in body["items"]] == ["ok", "error", "error", "error"]
    assert body["items"][0]["result"]["content_id"] == "test"
    assert body["items"][1]["error"]["details"][0]["field"] == "content.content"
    too_many = await client.post("/api/v1/analyze/batch", json={"items": [GUIDE_PAYLOAD] * 101}, headers=EDITOR)
    assert too_many.status_code == 422
    # batch-wide options do not exist: a field beside `items` is refused, not silently dropped
    extra = await client.post("/api/v1/analyze/batch", json={"items": [GUIDE_PAYLOAD], "options": {}}, headers=EDITOR)
    assert extra.status_code == 422 and "options" in extra.json()["error"]["message"]


async def test_stored_content_analysis_is_kept_and_dropped_when_the_text_changes(client: httpx.AsyncClient) -> None:
    created = await client.post(
        "/api/v1/content", json={"id": "p1", "type": "blog_post", "title": "Email", "content": POST}, headers=EDITOR
    )
    assert created.status_code == 201
    analyzed = await client.post("/api/v1/content/p1/analyze", json={"focus_keyphrase": "email"}, headers=EDITOR)
    assert analyzed.status_code == 200
    stored = (await client.get("/api/v1/content/p1", headers=VIEWER)).json()["analysis"]
    assert stored["seo_score"] == analyzed.json()["seo_score"]
    assert stored["request"]["focus_keyphrase"] == "email"
    tagged = await client.patch("/api/v1/content/p1", json={"tags": ["x"]}, headers=EDITOR)
    assert tagged.json()["analysis"]["seo_score"] == stored["seo_score"]
    rewritten = await client.patch("/api/v1/content/p1", json={"content": "New text."}, headers=EDITOR)
    assert "analysis" not in rewritten.json()
    assert (await client.post("/api/v1/content/nope/analyze", headers=EDITOR)).status_code == 404
    no_body = await client.post("/api/v1/content/p1/analyze", headers=EDITOR)
    assert no_body.status_code == 200


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=400), title=st.text(min_size=1, max_size=50))
async def test_any_text_gives_200_or_a_clear_4xx(client: httpx.AsyncClient, text: str, title: str) -> None:
    payload = {"content": {"title": title, "content": text, "type": "blog_post"}}
    response = await client.post("/api/v1/analyze", json=payload, headers=EDITOR)
    assert response.status_code in (200, 422), response.text
    if response.status_code == 422:
        assert response.json()["error"]["code"] == "validation_error"
