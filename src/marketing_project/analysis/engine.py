"""`analyze`: one pass of parsing and tokenizing, then every metric and check over the shared tokens."""

from __future__ import annotations

from . import blog, release_notes, scoring, seo, style, transcript
from .assessment import Assessment
from .content_types import BLOG_POST, PROFILES, RELEASE_NOTES, TRANSCRIPT
from .document import Document
from .errors import EmptyContentError
from .focus import locate
from .inputs import AnalysisInput
from .keywords import extract
from .links import host_of
from .markdown import parse
from .marketing import evaluate
from .readability import compute
from .result import AnalysisResult
from .stats import measure
from .structure import describe, paragraph_count
from .text import normalize, sentences_of
from .version import ANALYZER_VERSION


def analyze(inp: AnalysisInput) -> AnalysisResult:
    """Analyze one piece of content. Pure and deterministic; raises EmptyContentError for blank content."""
    content = inp.content
    if not content or not content.strip():
        raise EmptyContentError("content is empty: there is nothing to analyze")
    options = inp.options
    fields = dict(inp.fields)
    profile = PROFILES[inp.content_type]
    site_host = options.site_host or host_of(
        fields.get("source_url") or fields.get("url") or fields.get("canonical_url")
    )
    text = normalize(content)
    prepared = None
    if inp.content_type == TRANSCRIPT:
        prepared = transcript.prepare(text, transcript.speakers_from_fields(fields))
        text = prepared.prose
    parsed = parse(text, site_host)
    blocks = parsed.blocks
    sentences = sentences_of([b.text for b in blocks])
    stats, counts, word_counts = measure(sentences, paragraph_count(parsed), len(content), options.words_per_minute)
    prose_lower = " \x00 ".join(" ".join(s.marked) for s in sentences)
    keywords, keyphrases = extract(sentences, options.top_n_keywords, options.max_keyphrase_words, word_counts)
    title = normalize(inp.title)
    focus_text = (inp.focus_keyphrase or "").strip() or None
    meta = inp.meta_description.strip() if inp.meta_description and inp.meta_description.strip() else None
    focus = locate(focus_text, title, meta, blocks, sentences, stats.words) if focus_text is not None else None
    doc = Document(
        content_type=inp.content_type,
        profile=profile,
        title=title,
        snippet=inp.snippet,
        meta_description=meta,
        fields=fields,
        raw=text,
        parsed=parsed,
        blocks=blocks,
        sentences=sentences,
        word_counts=word_counts,
        stats=stats,
        readability=compute(counts),
        keywords=keywords,
        keyphrases=keyphrases,
        focus=focus,
        focus_text=focus_text,
        prose_lower=prose_lower,
        calls_to_action=blog.find_calls_to_action(prose_lower, word_counts),
    )
    checks: list[Assessment] = seo.assess(doc) + style.assess(doc)
    transcript_result = release_result = blog_result = None
    if prepared is not None:
        transcript_result = transcript.analyze(prepared, fields, word_counts, prose_lower, stats.words)
        checks += transcript.assess(transcript_result)
    elif inp.content_type == RELEASE_NOTES:
        release_result = release_notes.analyze(title, text, blocks, fields)
        checks += release_notes.assess(release_result)
    elif inp.content_type == BLOG_POST:
        blog_result = blog.analyze(
            prose_lower, inp.snippet, fields, [k.term for k in keywords], focus_text, doc.calls_to_action
        )
        checks += blog.assess(blog_result)
    has_keyphrase = focus is not None
    english = scoring.looks_english(doc)
    pipeline = scoring.pipeline_readiness(
        doc, english, release_result.total_items if release_result is not None else None
    )
    return AnalysisResult(
        analyzer_version=ANALYZER_VERSION,
        content_type=inp.content_type,
        language=options.language,
        seo_score=scoring.seo_score(checks, has_keyphrase),
        readability_score=scoring.readability_score(checks),
        content_quality=scoring.content_quality(doc, checks),
        marketing_value=evaluate(doc),
        pipeline_ready=pipeline.ready,
        pipeline_reasons=pipeline.reasons,
        warnings=tuple(scoring.warnings(doc, english)),
        recommendations=tuple(scoring.recommendations(checks, has_keyphrase)),
        stats=stats,
        structure=describe(parsed),
        readability=doc.readability,
        keywords=tuple(keywords),
        keyphrases=tuple(keyphrases),
        focus_keyphrase=focus,
        assessments=tuple(checks),
        transcript=transcript_result,
        release_notes=release_result,
        blog_post=blog_result,
        options=options.to_dict(),
    )
