from __future__ import annotations

from marketing_project.analysis.links import EXTERNAL, INTERNAL, OTHER, link_kind
from marketing_project.analysis.markdown import HEADING, LIST_ITEM, PARAGRAPH, parse
from marketing_project.analysis.structure import describe

DOC = """# Title

Intro paragraph with a [relative link](/about) and an [outbound one](https://other.org/page "Other").
Also [same host](https://www.example.com/pricing) and [mail](mailto:hi@example.com) and a [broken](https://x.org
and an [empty]() target. Bare URL: https://bare.example.net/path.

## Section A

- first item
- second item with **bold** and `code`

1. numbered
2. list

![Chart of growth](/img/chart.png)
![](/img/no-alt.png)

### Deep heading

```python
print("not prose")
```

> A quote that counts as a paragraph.

| a | b |
|---|---|
| 1 | 2 |
"""


def test_blocks_and_headings() -> None:
    parsed = parse(DOC, "example.com")
    kinds = [b.kind for b in parsed.blocks]
    assert kinds.count(HEADING) == 3
    assert kinds.count(LIST_ITEM) == 4
    assert PARAGRAPH in kinds
    headings = [(b.level, b.text) for b in parsed.blocks if b.kind == HEADING]
    assert headings == [(1, "Title"), (2, "Section A"), (3, "Deep heading")]
    assert parsed.lists == 2
    assert parsed.code_blocks == 1
    assert parsed.tables == 1
    # markup is gone from the prose
    assert all("**" not in b.text and "`" not in b.text and "](" not in b.text for b in parsed.blocks)
    assert not any("not prose" in b.text for b in parsed.blocks)


def test_links_images_and_broken_links() -> None:
    structure = describe(parse(DOC, "example.com"))
    kinds = {link.text or link.url: link.kind for link in structure.links}
    assert kinds["relative link"] == INTERNAL
    assert kinds["same host"] == INTERNAL
    assert kinds["outbound one"] == EXTERNAL
    assert kinds["mail"] == OTHER
    assert kinds["https://bare.example.net/path"] == EXTERNAL
    assert structure.internal_links == 2
    assert structure.external_links == 2
    assert structure.other_links == 1
    assert structure.broken_links == 2
    assert [(i.src, i.alt) for i in structure.images] == [
        ("/img/chart.png", "Chart of growth"),
        ("/img/no-alt.png", ""),
    ]
    assert structure.images_without_alt == 1
    assert structure.heading_counts == {"h1": 1, "h2": 1, "h3": 1, "h4": 0, "h5": 0, "h6": 0}


def test_link_kind_without_site_host() -> None:
    assert link_kind("/docs", None) == INTERNAL
    assert link_kind("pricing.html", None) == INTERNAL
    assert link_kind("https://example.com", None) == EXTERNAL
    assert link_kind("//cdn.example.com/x.js", "example.com") == INTERNAL
    assert link_kind("http://[broken", None) == EXTERNAL


def test_html_is_converted() -> None:
    html = (
        "<html><head><style>p {color: red}</style><script>var x = '<b>';</script></head><body>"
        "<h1>Big title</h1><p>Hello <b>world</b>. Read <a href='https://other.org'>this</a>.</p>"
        "<ul><li>One</li><li>Two</li></ul><img src='a.png' alt='A chart'><img src=b.png>"
        "<h2>Sub &amp; more</h2><p>Done.</p></body></html>"
    )
    parsed = parse(html, None)
    assert parsed.html
    headings = [(b.level, b.text) for b in parsed.blocks if b.kind == HEADING]
    assert headings == [(1, "Big title"), (2, "Sub & more")]
    assert [b.text for b in parsed.blocks if b.kind == LIST_ITEM] == ["One", "Two"]
    assert any(b.text == "Hello world. Read this." for b in parsed.blocks)
    assert [(i.src, i.alt) for i in parsed.images] == [("a.png", "A chart"), ("b.png", "")]
    assert parsed.external_links == 1
    assert not any("color" in b.text or "var x" in b.text for b in parsed.blocks)


def test_hard_wrapped_lines_join_but_plain_lines_stay_paragraphs() -> None:
    parsed = parse("This line wraps\nonto the next one.\nA new line that starts upper case.", None)
    assert [b.text for b in parsed.blocks] == [
        "This line wraps onto the next one.",
        "A new line that starts upper case.",
    ]


def test_setext_headings() -> None:
    parsed = parse("Main title\n==========\n\nText here.\n\nSub title\n---------\n\nMore.", None)
    assert [(b.kind, b.level) for b in parsed.blocks if b.kind == HEADING] == [(HEADING, 1), (HEADING, 2)]
