from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from marketing_project.analysis import AnalysisInput, analyze
from marketing_project.api.schemas.analysis import AnalysisResponse


@pytest.mark.parametrize("content_type", ["blog_post", "transcript", "release_notes"])
def test_response_model_validates_results(
    content_type: str, blog_post_text: str, transcript_text: str, release_notes_text: str
) -> None:
    content = {"blog_post": blog_post_text, "transcript": transcript_text, "release_notes": release_notes_text}
    for keyphrase in (None, "email marketing"):
        data = analyze(AnalysisInput(content_type, "Title", content[content_type], focus_keyphrase=keyphrase)).to_dict()
        model = AnalysisResponse.model_validate(data)
        assert model.model_dump() == data


def test_schema_rejects_drift(blog_post_text: str) -> None:
    data = analyze(AnalysisInput("blog_post", "Title", blog_post_text)).to_dict()
    with pytest.raises(ValidationError):
        AnalysisResponse.model_validate({**data, "unexpected": 1})
    missing = dict(data)
    del missing["seo_score"]
    with pytest.raises(ValidationError):
        AnalysisResponse.model_validate(missing)


def _models(model: type[BaseModel], seen: set[type[BaseModel]]) -> None:
    if model in seen:
        return
    seen.add(model)
    for field in model.model_fields.values():
        for arg in _walk(field.annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                _models(arg, seen)


def _walk(annotation: object) -> list[object]:
    args = getattr(annotation, "__args__", ())
    return [annotation, *[a for arg in args for a in _walk(arg)]]


def test_every_field_is_described() -> None:
    seen: set[type[BaseModel]] = set()
    _models(AnalysisResponse, seen)
    assert len(seen) > 15
    for model in seen:
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} has no description"
    schema = AnalysisResponse.model_json_schema()
    assert "seo_score" in schema["properties"]
