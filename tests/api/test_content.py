from __future__ import annotations

import asyncio
import gzip

import httpx
import pytest

from tests.support import ADMIN, EDITOR, VIEWER

BLOG = {
    "type": "blog_post",
    "title": "Getting Started with Marketing Automation",
    "content": "# Intro\n\nMarketing automation saves time.",
    "snippet": "Why automation matters",
    "author": "Marketing Team",
    "tags": ["marketing", "automation"],
    "category": "Strategy",
    "metadata": {"featured": True, "score": 85},
    "source_url": "https://example.com/blog/automation",
}


async def create(client: httpx.AsyncClient, body: dict[str, object]) -> dict[str, object]:
    response = await client.post("/api/v1/content", json=body, headers=EDITOR)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_create_then_read_returns_every_field(client: httpx.AsyncClient) -> None:
    created = await create(client, {**BLOG, "id": "post-1"})
    assert created["id"] == "post-1"
    response = await client.get("/api/v1/content/post-1", headers=VIEWER)
    assert response.status_code == 200
    stored = response.json()
    for field, value in BLOG.items():
        assert stored[field] == value, field
    assert stored["created_at"].endswith("Z")


async def test_create_generates_an_id_and_location(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/content", json=BLOG, headers=EDITOR)
    assert response.status_code == 201
    new_id = response.json()["id"]
    assert response.headers["location"] == f"/api/v1/content/{new_id}"
    assert (await client.get(f"/api/v1/content/{new_id}", headers=VIEWER)).status_code == 200


async def test_transcript_and_release_notes_keep_their_own_fields(client: httpx.AsyncClient) -> None:
    transcript = await create(
        client,
        {
            "content_type": "transcript",
            "title": "Podcast",
            "content": "Sarah: Hello.",
            "speakers": ["Sarah", "Mike"],
            "duration": "45:30",
            "transcript_type": "podcast",
        },
    )
    assert transcript["type"] == "transcript"
    assert transcript["duration"] == 2730
    assert transcript["speakers"] == ["Sarah", "Mike"]
    notes = await create(
        client,
        {
            "type": "release_notes",
            "title": "v2.0",
            "content": "Big release",
            "version": "2.0.0",
            "release_date": "2025-01-31",
            "features": ["Dark mode"],
            "bug_fixes": ["Crash on start"],
        },
    )
    stored = (await client.get(f"/api/v1/content/{notes['id']}", headers=VIEWER)).json()
    assert stored["release_date"] == "2025-01-31"
    assert stored["features"] == ["Dark mode"]
    assert stored["bug_fixes"] == ["Crash on start"]


async def test_duplicate_id_is_409_and_keeps_the_original(client: httpx.AsyncClient) -> None:
    await create(client, {**BLOG, "id": "dup"})
    response = await client.post("/api/v1/content", json={**BLOG, "id": "dup", "title": "Other"}, headers=EDITOR)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert (await client.get("/api/v1/content/dup", headers=VIEWER)).json()["title"] == BLOG["title"]


async def test_list_is_newest_first_and_cursor_pages_cover_everything_once(client: httpx.AsyncClient) -> None:
    for i in range(7):
        await create(client, {**BLOG, "id": f"p{i}", "created_at": f"2024-01-0{i + 1}T10:00:00Z"})
    # same timestamp for two items: the id breaks the tie, so no item is skipped or repeated
    await create(client, {**BLOG, "id": "tie", "created_at": "2024-01-07T10:00:00Z"})
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, str | int] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get("/api/v1/content", params=params, headers=VIEWER)).json()
        seen += [item["id"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == ["tie", "p6", "p5", "p4", "p3", "p2", "p1", "p0"]


async def test_list_filters_by_type(client: httpx.AsyncClient) -> None:
    await create(client, BLOG)
    await create(client, {"type": "transcript", "title": "T", "content": "Hi"})
    for param in ("type", "content_type"):
        items = (await client.get("/api/v1/content", params={param: "transcript"}, headers=VIEWER)).json()["items"]
        assert [item["type"] for item in items] == ["transcript"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 101}, "limit"),
        ({"limit": 0}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"type": "x"}, "type"),
    ],
)
async def test_bad_list_parameters_are_422(client: httpx.AsyncClient, params: dict[str, object], field: str) -> None:
    response = await client.get("/api/v1/content", params=params, headers=VIEWER)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == field


async def test_large_lists_are_gzip_compressed(client: httpx.AsyncClient) -> None:
    for i in range(5):
        await create(client, {**BLOG, "id": f"g{i}", "content": "Long text. " * 200})
    response = await client.get("/api/v1/content", headers={**VIEWER, "Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert len(response.json()["items"]) == 5
    raw = await client.get("/api/v1/content", headers={**VIEWER, "Accept-Encoding": "identity"})
    assert "content-encoding" not in raw.headers
    assert len(gzip.compress(raw.content)) < len(raw.content)


async def test_put_replaces_and_patch_changes_only_given_fields(client: httpx.AsyncClient) -> None:
    await create(client, {**BLOG, "id": "edit"})
    replaced = await client.put(
        "/api/v1/content/edit", json={"type": "blog_post", "title": "New", "content": "Body"}, headers=EDITOR
    )
    assert replaced.status_code == 200
    assert replaced.json()["tags"] == []
    patched = await client.patch("/api/v1/content/edit", json={"tags": ["seo"], "snippet": "S"}, headers=EDITOR)
    assert patched.status_code == 200
    body = (await client.get("/api/v1/content/edit", headers=VIEWER)).json()
    assert (body["title"], body["tags"], body["snippet"]) == ("New", ["seo"], "S")
    assert body["updated_at"] >= body["created_at"]


async def test_patch_can_change_the_type(client: httpx.AsyncClient) -> None:
    await create(client, {**BLOG, "id": "retype"})
    response = await client.patch("/api/v1/content/retype", json={"type": "transcript", "duration": 60}, headers=EDITOR)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["type"] == "transcript"
    assert "author" not in body
    assert body["duration"] == 60


async def test_delete_then_404(client: httpx.AsyncClient) -> None:
    await create(client, {**BLOG, "id": "gone"})
    assert (await client.delete("/api/v1/content/gone", headers=EDITOR)).status_code == 204
    assert (await client.get("/api/v1/content/gone", headers=VIEWER)).status_code == 404
    assert (await client.delete("/api/v1/content/gone", headers=EDITOR)).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**BLOG, "type": "podcast"}, "type"),
        ({k: v for k, v in BLOG.items() if k != "type"}, "type"),
        ({**BLOG, "tags": "seo"}, "tags"),
        ({**BLOG, "metadata": "{'a': 1}"}, "metadata"),
        ({**BLOG, "title": ""}, "title"),
        ({**BLOG, "title": 42}, "title"),
        ({**BLOG, "bogus": 1}, "bogus"),
        ({**BLOG, "id": "bad id/with slash"}, "id"),
        ({**BLOG, "created_at": "2024-01-01T00:00:00"}, "created_at"),
        ({**BLOG, "type": "transcript", "duration": -5, "author": None}, "duration"),
        ({**BLOG, "content_type": "transcript"}, "body"),
    ],
)
async def test_invalid_content_is_422_naming_the_field(
    client: httpx.AsyncClient, body: dict[str, object], field: str
) -> None:
    response = await client.post("/api/v1/content", json=body, headers=EDITOR)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"][0]["field"] == field
    assert error["message"].startswith(field)
    assert (await client.get("/api/v1/content", headers=VIEWER)).json()["items"] == []


async def test_invalid_json_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/content", content=b'{"type": "blog_post",', headers={**EDITOR, "Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert "not valid JSON" in response.json()["error"]["message"]


async def test_nul_characters_are_refused_not_a_server_error(client: httpx.AsyncClient) -> None:
    for body in ({**BLOG, "content": "a\x00b"}, {**BLOG, "metadata": {"k": "v\x00"}}):
        response = await client.post("/api/v1/content", json=body, headers=EDITOR)
        assert response.status_code == 422
        assert "NUL" in response.json()["error"]["message"]


async def test_failed_update_leaves_the_record_unchanged(client: httpx.AsyncClient) -> None:
    await create(client, {**BLOG, "id": "keep"})
    before = (await client.get("/api/v1/content/keep", headers=VIEWER)).json()
    bad_patch = await client.patch("/api/v1/content/keep", json={"tags": [""], "title": "Changed"}, headers=EDITOR)
    assert bad_patch.status_code == 422
    bad_put = await client.put("/api/v1/content/keep", json={"type": "blog_post", "title": "X"}, headers=EDITOR)
    assert bad_put.status_code == 422
    mismatch = await client.put("/api/v1/content/keep", json={**BLOG, "id": "other"}, headers=EDITOR)
    assert mismatch.status_code == 422
    assert (await client.get("/api/v1/content/keep", headers=VIEWER)).json() == before


async def test_missing_content_is_404_for_every_verb(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/content/none", headers=VIEWER)).status_code == 404
    assert (await client.put("/api/v1/content/none", json=BLOG, headers=EDITOR)).status_code == 404
    assert (await client.patch("/api/v1/content/none", json={"title": "x"}, headers=EDITOR)).status_code == 404


async def test_concurrent_patches_of_different_fields_all_persist(client: httpx.AsyncClient) -> None:
    await create(client, {**BLOG, "id": "race"})
    changes = [{"snippet": "s"}, {"category": "c"}, {"author": "a"}, {"source_url": "https://e.com/u"}, {"tags": ["t"]}]
    responses = await asyncio.gather(
        *(client.patch("/api/v1/content/race", json=change, headers=EDITOR) for change in changes)
    )
    assert [r.status_code for r in responses] == [200] * len(changes)
    stored = (await client.get("/api/v1/content/race", headers=VIEWER)).json()
    for change in changes:
        for field, value in change.items():
            assert stored[field] == value, field


async def test_admin_can_do_what_editors_do(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/content", json=BLOG, headers=ADMIN)
    assert response.status_code == 201
