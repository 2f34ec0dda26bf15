"""The Markdown renderer: what notes may hold, what is stripped, how hostile input degrades."""


import pytest

from briefing_app.model.markdown import (
    MAX_CHARS,
    MAX_DEPTH,
    escape,
    highlight_terms,
    render_markdown,
    reveal_invisible,
)

HIT = '<span style="background-color:#ffe066; color:#000">'


@pytest.mark.parametrize("note, present, absent", [
    ("<script>alert(1)</script>after", ["after"], ["<script", "alert"]),
    ("<style>p { color: red }</style>after", ["after"], ["<style", "color: red"]),
    ('<iframe src="https://evil.example">inner</iframe>after', ["after"], ["<iframe", "evil"]),
    ("before <!-- hidden --> after", ["<i>[HTML comment not shown]</i> after"], ["hidden", "--"]),
    ("x <![CDATA[ y ]]> z", ["<i>[CDATA section not shown]</i> z"], [" y ", "]]"]),
    ('<img src="x" onerror="alert(1)">', ["[image]"], ["onerror", "<img"]),
    ("raw <b>bold</b> stays", ["<b>bold</b>"], []),
    ('<div style="color:red" class="x">text</div>', ["text"], ["<div", "style=", "class="]),
    ('<span style="color:white">hidden</span>', ["<span>hidden</span>"], ["style=", "white"]),
    ('<p onclick="alert(1)">p</p>', ["<p>p</p>"], ["onclick"]),
    ("[click](javascript:alert(1))", ["<a>click</a>"], ["javascript"]),
    ('<a href="data:text/html,x">d</a>', ["<a>d</a>"], ["data:"]),
    ("[web](https://example.org/a?b=1)", ['<a href="https://example.org/a?b=1">web</a>'], []),
    ("[mail](mailto:a@example.org)", ['href="mailto:a@example.org"'], []),
    ("[other](event:dsca-notifies)", ['<a href="event:dsca-notifies">other</a>'], []),
    ("![a chart](https://tracker.example/pixel.png)", ["[image: a chart]"], ["<img", "tracker"]),
    ("![x](/etc/hostname) ![y](file:///etc/passwd)", ["[image: x]", "[image: y]"],
     ["hostname", "passwd", "<img"]),
    ('<img alt="&lt;b&gt;bold&lt;/b&gt;" src="x">', ["[image: &lt;b&gt;bold&lt;/b&gt;]"],
     ["<b>"]),
    ("# Title\n\n### Sub", ["<h1>Title</h1>", "<h3>Sub</h3>"], []),
    ("|a|b|\n|-|-|\n|1|2|", ["<table>", "<th>a</th>", "<td>2</td>"], ["style="]),
    ("- one\n- two\n\n1. first\n2. second", ["<ul>", "<li>one</li>", "<ol>"], []),
    ("```python\nx = 1 < 2\n```", ["<pre><code>x = 1 &lt; 2"], ["class="]),
    ("> quoted", ["<blockquote>", "quoted"], []),
    ("**strong** _em_ `code` ~~no~~", ["<strong>strong</strong>", "<em>em</em>",
                                      "<code>code</code>"], []),
])
def test_render_markdown(note, present, absent):
    html = render_markdown(note)
    for text in present:
        assert text in html
    for text in absent:
        assert text not in html


def test_deeply_nested_list_falls_back_to_plain_text():
    note = "".join("    " * depth + "- item\n" for depth in range(300))
    html = render_markdown(note)
    assert html.startswith("<pre") and "<ul>" not in html


def test_deep_blockquotes_fall_back_to_plain_text():
    html = render_markdown(">" * 1000 + " deep")
    assert html.startswith("<pre") and "<blockquote>" not in html


def test_nesting_deeper_than_the_limits_falls_back_to_plain_text():
    """Qt lays out nested blocks in exponential time and any nesting slowly: the limits,
    not Python-Markdown's recursion, stop what is merely deep."""
    assert render_markdown("> " * MAX_DEPTH + "x").count("<blockquote>") == MAX_DEPTH
    assert render_markdown("> " * (MAX_DEPTH + 1) + "x").startswith("<pre")
    assert render_markdown("<b>" * 100 + "x" + "</b>" * 100).startswith("<pre")


def test_modest_nesting_still_renders():
    note = "".join("    " * depth + "- item\n" for depth in range(4))
    assert render_markdown(note).count("<ul>") == 4


@pytest.mark.parametrize("note", ["[" * 5000, "[a](b " * 3000, "-\n" * 20_000, "<a" * 20_000])
def test_pathological_input_returns_quickly_as_plain_text(note, monkeypatch):
    from briefing_app.model import markdown

    # Quickly, because Python-Markdown (seconds on these) never sees them: a cheap scan
    # refuses them first. Counted, not timed.
    def never():
        raise AssertionError("Python-Markdown was asked to parse a pathological note")

    monkeypatch.setattr(markdown, "_markdown", never)
    html = render_markdown(note)
    assert html.startswith("<pre")


def test_markdown_errors_fall_back_to_escaped_text(monkeypatch):
    from briefing_app.model import markdown

    def explode():
        raise RecursionError

    monkeypatch.setattr(markdown, "_markdown", explode)
    assert render_markdown("<b>x</b> & y") == (
        '<pre style="white-space: pre-wrap">&lt;b&gt;x&lt;/b&gt; &amp; y</pre>')


def test_long_notes_are_truncated_with_a_notice():
    html = render_markdown("x" * (MAX_CHARS + 1))
    assert "Note truncated: showing the first 100,000 of 100,001 characters." in html
    assert "x" * MAX_CHARS in html and "x" * (MAX_CHARS + 1) not in html
    assert "truncated" not in render_markdown("x" * MAX_CHARS)


@pytest.mark.parametrize("text, shown", [
    ("abc\u202edcba", "abc⟦U+202E⟧dcba"),
    ("zero\u200bwidth", "zero⟦U+200B⟧width"),
    ("\u2066isolate\u2069", "⟦U+2066⟧isolate⟦U+2069⟧"),
    ("plain Perú", "plain Perú"),
])
def test_invisible_characters_are_revealed(text, shown):
    assert reveal_invisible(text) == shown
    assert shown in render_markdown(text)


@pytest.mark.parametrize("html, terms, expected", [
    ("<p>Peru and Perú</p>", ["peru"], f"<p>{HIT}Peru</span> and {HIT}Perú</span></p>"),
    ('<a href="peru.html" title="Peru">to PERU</a>', ["peru"],
     f'<a href="peru.html" title="Peru">to {HIT}PERU</span></a>'),
    ("<p>Tom &amp; Jerry</p>", ["&"], f"<p>Tom {HIT}&amp;</span> Jerry</p>"),
    ("<p>amp</p>", ["amp"], f"<p>{HIT}amp</span></p>"),
    ("<p>Chancay port</p>", ["chan", "ancay"], f"<p>{HIT}Chancay</span> port</p>"),
    ("<p>span</p>", ["style"], "<p>span</p>"),
    ("<p>x</p>", [], "<p>x</p>"),
    ("<p>x</p>", [""], "<p>x</p>"),
])
def test_highlight_wraps_only_text(html, terms, expected):
    assert highlight_terms(html, terms) == expected


def test_escape():
    assert escape('<a href="x">&') == "&lt;a href=&quot;x&quot;&gt;&amp;"
