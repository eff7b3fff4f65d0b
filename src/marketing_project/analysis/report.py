"""Plain-text report of an analysis, for the command line."""

from __future__ import annotations

from .result import AnalysisResult

_MARK = {"good": "GOOD", "ok": " OK ", "bad": "BAD "}


def _bar(score: int, width: int = 20) -> str:
    filled = round(width * max(0, min(100, score)) / 100)
    return "#" * filled + "." * (width - filled)


def render_report(result: AnalysisResult) -> str:
    """Human-readable report of `result` (pure: the same result always gives the same text)."""
    r = result
    s = r.stats
    lines: list[str] = []
    add = lines.append
    title = f"Content analysis ({r.content_type.replace('_', ' ')}) - analyzer {r.analyzer_version}"
    add(title)
    add("=" * len(title))
    add(f"SEO score          {r.seo_score:>3}/100  {_bar(r.seo_score)}")
    add(f"Readability score  {r.readability_score:>3}/100  {_bar(r.readability_score)}")
    q = r.content_quality
    add(f"Content quality    {q.score:>3}/100  {_bar(q.score)}  {q.grade}")
    m = r.marketing_value
    add(
        f"Marketing value    {m.score:>3}/100  {_bar(m.score)}  engagement {m.engagement.score}, "
        f"conversion {m.conversion.score}, shareability {m.shareability.score}"
    )
    add(f"Pipeline ready     {'yes' if r.pipeline_ready else 'NO'}: {'; '.join(r.pipeline_reasons)}")
    if r.warnings:
        add("")
        add("Warnings")
        lines.extend(f"  ! {w}" for w in r.warnings)
    add("")
    add("Text")
    add(
        f"  {s.words} words, {s.sentences} sentences, {s.paragraphs} paragraphs, {s.syllables} syllables, "
        f"{s.unique_words} distinct words"
    )
    add(
        f"  {s.avg_words_per_sentence} words/sentence, {s.avg_syllables_per_word} syllables/word, "
        f"{s.long_sentences} sentence(s) over 20 words, reading time {s.reading_time_minutes} min"
    )
    st = r.structure
    headings = ", ".join(f"{k.upper()} {v}" for k, v in st.heading_counts.items() if v) or "none"
    add(
        f"  headings: {headings}; lists: {st.lists} ({st.list_items} items); links: {st.internal_links} internal, "
        f"{st.external_links} outbound, {st.broken_links} broken; images: {len(st.images)} "
        f"({st.images_without_alt} without alt)"
    )
    rd = r.readability
    add("")
    add("Readability")
    add(f"  Flesch reading ease  {rd.flesch_reading_ease:>6.1f}  ({rd.reading_ease_label})")
    add(f"  Flesch-Kincaid grade {rd.flesch_kincaid_grade:>6.1f}")
    add(f"  Gunning Fog          {rd.gunning_fog:>6.1f}")
    add(f"  SMOG                 {rd.smog_index:>6.1f}")
    add(f"  Coleman-Liau         {rd.coleman_liau_index:>6.1f}")
    add(f"  ARI                  {rd.automated_readability_index:>6.1f}")
    if r.keyphrases:
        add("")
        add("Keyphrases")
        for i, k in enumerate(r.keyphrases, 1):
            add(f"  {i:>2}. {k.phrase}  (score {k.score:.2f}, {k.count}x)")
    if r.focus_keyphrase is not None:
        f = r.focus_keyphrase
        add("")
        add(f"Focus keyphrase '{f.keyphrase}': {f.occurrences} occurrence(s), density {f.density:.2f}%")
    add("")
    add("Checks")
    for a in r.assessments:
        add(f"  [{_MARK.get(a.rating, a.rating)}] {a.title}: {a.message}")
    if r.transcript is not None:
        t = r.transcript
        add("")
        add(f"Transcript: {t.turns} turns, speakers from {t.speaker_source}")
        for sp in t.speakers:
            add(f"  {sp.name}: {sp.words} words ({sp.share:.1f}%), {sp.turns} turn(s)")
        fillers = ", ".join(f"{f.filler} {f.count}" for f in t.fillers) or "none"
        add(f"  filler words: {t.filler_words} ({t.filler_rate:.2f}%): {fillers}")
        if t.speaking_rate_wpm is not None:
            add(f"  speaking rate: {t.speaking_rate_wpm} words/minute")
    if r.release_notes is not None:
        n = r.release_notes
        add("")
        add(f"Release notes: version {n.version or '?'}, date {n.release_date or '?'}")
        for label, items in (
            ("features", n.features),
            ("fixes", n.fixes),
            ("changes", n.changes),
            ("breaking", n.breaking_changes),
        ):
            if items:
                add(f"  {label} ({len(items)}):")
                lines.extend(f"    - {item}" for item in items[:20])
    if r.blog_post is not None:
        b = r.blog_post
        add("")
        ctas = ", ".join(c.phrase for c in b.calls_to_action) or "none"
        add(f"Blog post: calls to action: {ctas}; snippet: {b.snippet.rating}")
    add("")
    add("Marketing signals")
    for name, dim in (("engagement", m.engagement), ("conversion", m.conversion), ("shareability", m.shareability)):
        add(f"  {name} {dim.score}/100")
        lines.extend(f"    [{'x' if sig.found else ' '}] {sig.detail}" for sig in dim.signals)
    if r.recommendations:
        add("")
        add("Recommendations (highest impact first)")
        for i, rec in enumerate(r.recommendations, 1):
            add(f"  {i:>2}. [{rec.priority}] {rec.message}")
    return "\n".join(lines) + "\n"
