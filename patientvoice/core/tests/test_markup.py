"""core.markup: the one place user text becomes HTML, driven by a table of cases."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from patientvoice.core.markup import plain_text, render_markdown

REL = 'rel="nofollow ugc noopener"'

# (id, Markdown written by a person, HTML we store and show)
CASES: list[tuple[str, str, str]] = [
    # --- ordinary writing -------------------------------------------------------------
    ("paragraph", "hello", "<p>hello</p>"),
    ("emphasis", "**bold** and *em*", "<p><strong>bold</strong> and <em>em</em></p>"),
    ("strikethrough", "~~gone~~", "<p><s>gone</s></p>"),
    ("hard break", "a  \nb", "<p>a<br>\nb</p>"),
    ("blockquote", "> quote", "<blockquote>\n<p>quote</p>\n</blockquote>"),
    ("bullet list", "- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
    (
        "ordered list keeps start",
        "3. three\n4. four",
        '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>',
    ),
    ("thematic break", "---", "<hr>"),
    ("entities are escaped", "&amp; & < >", "<p>&amp; &amp; &lt; &gt;</p>"),
    # --- headings are demoted below the page's own h1/h2 -------------------------------
    ("h1 becomes h3", "# Title", "<h3>Title</h3>"),
    ("h2 becomes h4", "## Sub", "<h4>Sub</h4>"),
    ("h4 stops at h6", "#### Four", "<h6>Four</h6>"),
    ("h6 stays h6", "###### Six", "<h6>Six</h6>"),
    ("setext heading demoted", "Setext\n===", "<h3>Setext</h3>"),
    ("heading with html", "# <script>x</script>", "<h3>&lt;script&gt;x&lt;/script&gt;</h3>"),
    # --- raw HTML is text, never markup ------------------------------------------------
    ("script tag", "<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
    ("bold tag", "<b>bold</b>", "<p>&lt;b&gt;bold&lt;/b&gt;</p>"),
    (
        "img onerror",
        "<img src=x onerror=alert(1)>",
        "<p>&lt;img src=x onerror=alert(1)&gt;</p>",
    ),
    ("svg onload", "<svg onload=alert(1)>", "<p>&lt;svg onload=alert(1)&gt;</p>"),
    (
        "iframe",
        "<iframe src=x></iframe>",
        "<p>&lt;iframe src=x&gt;&lt;/iframe&gt;</p>",
    ),
    (
        "div with handler",
        "<div onclick=x>hi</div>",
        "<p>&lt;div onclick=x&gt;hi&lt;/div&gt;</p>",
    ),
    (
        "raw anchor with javascript",
        '<a href="javascript:alert(1)">x</a>',
        '<p>&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;</p>',
    ),
    ("html comment", "<!-- comment -->", "<p>&lt;!-- comment --&gt;</p>"),
    # --- links: only http, https, mailto and relative ----------------------------------
    (
        "titled link",
        '[link](https://example.org "Title")',
        f'<p><a href="https://example.org" title="Title" {REL}>link</a></p>',
    ),
    ("mailto link", "[x](mailto:a@b.se)", f'<p><a href="mailto:a@b.se" {REL}>x</a></p>'),
    ("relative link", "[x](/relative)", f'<p><a href="/relative" {REL}>x</a></p>'),
    ("javascript link", "[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>"),
    ("upper-case javascript", "[x](JAVASCRIPT:alert(1))", "<p>[x](JAVASCRIPT:alert(1))</p>"),
    (
        "javascript in angle brackets",
        "[x](<javascript:alert(1)>)",
        "<p>[x](&lt;javascript:alert(1)&gt;)</p>",
    ),
    (
        "javascript reference definition",
        "[ref]\n\n[ref]: javascript:alert(1)",
        "<p>[ref]</p>\n<p>[ref]: javascript:alert(1)</p>",
    ),
    (
        "data html link",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "<p>[x](data:text/html;base64,PHNjcmlwdD4=)</p>",
    ),
    ("data image link loses its href", "[x](data:image/png;base64,AAAA)", f"<p><a {REL}>x</a></p>"),
    ("vbscript link", "[x](vbscript:msgbox)", "<p>[x](vbscript:msgbox)</p>"),
    ("ftp link loses its href", "[x](ftp://example.org)", f"<p><a {REL}>x</a></p>"),
    ("javascript autolink", "<javascript:alert(1)>", "<p>&lt;javascript:alert(1)&gt;</p>"),
    (
        "quote breaking out of the title",
        '[x](http://e.com "a\\" onclick=\\"alert(1)")',
        f'<p><a href="http://e.com" title="a&quot; onclick=&quot;alert(1)" {REL}>x</a></p>',
    ),
    (
        "quote breaking out of the href",
        '[x](http://e.com/"onmouseover="alert(1))',
        f'<p><a href="http://e.com/%22onmouseover=%22alert(1)" {REL}>x</a></p>',
    ),
    (
        "nested markdown links",
        "[a [b](http://x.com) c](http://y.com)",
        f'<p>[a <a href="http://x.com" {REL}>b</a> c](<a href="http://y.com" {REL}>'
        "http://y.com</a>)</p>",
    ),
    (
        "ampersand in query",
        "[x](https://ex.org/?a=1&b=2)",
        f'<p><a href="https://ex.org/?a=1&amp;b=2" {REL}>x</a></p>',
    ),
    # --- bare links become links, marked as user-generated -----------------------------
    (
        "bare https link",
        "https://example.org/page",
        f'<p><a href="https://example.org/page" {REL}>https://example.org/page</a></p>',
    ),
    (
        "bare www link",
        "www.example.org",
        f'<p><a href="http://www.example.org" {REL}>www.example.org</a></p>',
    ),
    (
        "trailing full stop not in link",
        "see https://example.org.",
        f'<p>see <a href="https://example.org" {REL}>https://example.org</a>.</p>',
    ),
    (
        "angle autolink",
        "<https://example.org>",
        f'<p><a href="https://example.org" {REL}>https://example.org</a></p>',
    ),
    (
        "bare e-mail",
        "mail@example.org",
        f'<p><a href="mailto:mail@example.org" {REL}>mail@example.org</a></p>',
    ),
    # --- images never load: they become links showing their description ----------------
    (
        "image becomes link",
        "![alt text](http://evil.example/x.png)",
        f'<p><a href="http://evil.example/x.png" {REL}>alt text</a></p>',
    ),
    (
        "image without alt shows its address",
        "![](http://evil.example/x.png)",
        f'<p><a href="http://evil.example/x.png" {REL}>http://evil.example/x.png</a></p>',
    ),
    (
        "image alt with script",
        "![<script>alert(1)</script>](http://y.com)",
        f'<p><a href="http://y.com" {REL}>&lt;script&gt;alert(1)&lt;/script&gt;</a></p>',
    ),
    ("data image", "![x](data:image/png;base64,AAAA)", f"<p><a {REL}>x</a></p>"),
    ("javascript image", "![x](javascript:alert(1))", "<p>![x](javascript:alert(1))</p>"),
    # --- tables and code ---------------------------------------------------------------
    (
        "table",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n"
        "<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>",
    ),
    (
        "table cell with html",
        "| a |\n|---|\n| <b>x</b> |",
        "<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n"
        "<tr>\n<td>&lt;b&gt;x&lt;/b&gt;</td>\n</tr>\n</tbody>\n</table>",
    ),
    (
        "fenced code with script",
        "```\n<script>alert(1)</script>\n```",
        "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>",
    ),
    (
        "fenced code with language drops the class",
        "~~~html\n<img src=x onerror=alert(1)>\n~~~",
        "<pre><code>&lt;img src=x onerror=alert(1)&gt;\n</code></pre>",
    ),
    (
        "indented code",
        "    indented <b>code</b>",
        "<pre><code>indented &lt;b&gt;code&lt;/b&gt;\n</code></pre>",
    ),
    ("inline code", "`<b>`", "<p><code>&lt;b&gt;</code></p>"),
    # --- bytes people paste ------------------------------------------------------------
    ("NUL byte dropped", "a\x00b", "<p>ab</p>"),
    (
        "NUL byte cannot smuggle a tag",
        "<\x00script>alert(1)</script>",
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    ),
    ("CRLF", "line1\r\nline2\r\n\r\npara2", "<p>line1\nline2</p>\n<p>para2</p>"),
    ("bare CR", "hello\rworld", "<p>hello\nworld</p>"),
    # --- @mentions become a plain span (notifications read them) -----------------------
    ("mention", "hej @anna_b!", '<p>hej <span class="mention">@anna_b</span>!</p>'),
    (
        "mention ends at sentence punctuation",
        "(@Bo-rk.)",
        '<p>(<span class="mention">@Bo-rk</span>.)</p>',
    ),
    (
        "e-mail address is no mention",
        "a@example.org",
        f'<p><a href="mailto:a@example.org" {REL}>a@example.org</a></p>',
    ),
    ("mention in code is code", "`@anna`", "<p><code>@anna</code></p>"),
    ("too short for a handle", "@ab", "<p>@ab</p>"),
    ("too long for a handle", "@" + "a" * 31, "<p>@" + "a" * 31 + "</p>"),
    (
        "typed mention markup stays text",
        '<span class="mention">@x</span>',
        '<p>&lt;span class="mention"&gt;@x&lt;/span&gt;</p>',
    ),
    (
        "mention with Swedish letters",
        "tack @Åsa_ö",
        '<p>tack <span class="mention">@Åsa_ö</span></p>',
    ),
    ("a Cyrillic look-alike is no mention", "@аnna_b", "<p>@аnna_b</p>"),
    ("digits of another script are no mention", "@anna١٢٣", "<p>@anna١٢٣</p>"),
    ("a handle joined to a word is no mention", "bo@anna_b", "<p>bo@anna_b</p>"),
    ("after a slash is a path, no mention", "see /@anna_b", "<p>see /@anna_b</p>"),
    ("after a colon is no mention", "x:@anna_b", "<p>x:@anna_b</p>"),
    ("after a hash is no mention", "#@anna_b", "<p>#@anna_b</p>"),
    (
        "a trailing underscore ends the mention",
        "hej @anna_b_",
        '<p>hej <span class="mention">@anna_b</span>_</p>',
    ),
    (
        "mention inside a link is the link text",
        "[@anna_b](https://e.com/)",
        f'<p><a href="https://e.com/" {REL}>@anna_b</a></p>',
    ),
    (
        "a bare link with an @ path is a link, no mention",
        "https://e.com/@anna_b",
        f'<p><a href="https://e.com/@anna_b" {REL}>https://e.com/@anna_b</a></p>',
    ),
    (
        "mention in a code block is code",
        "    @anna_b",
        "<pre><code>@anna_b\n</code></pre>",
    ),
    (
        "quoted text mentions nobody",
        "> @anna_b said so\n\nand @bo_lind agrees",
        "<blockquote>\n<p>@anna_b said so</p>\n</blockquote>\n"
        '<p>and <span class="mention">@bo_lind</span> agrees</p>',
    ),
    (
        "nested quote mentions nobody",
        "> > @anna_b\n> @bo_lind",
        "<blockquote>\n<blockquote>\n<p>@anna_b\n@bo_lind</p>\n</blockquote>\n</blockquote>",
    ),
]


@pytest.mark.parametrize(
    ("markdown", "expected"), [(md, html) for _, md, html in CASES], ids=[c[0] for c in CASES]
)
def test_markdown_renders_to_expected_safe_html(markdown: str, expected: str) -> None:
    # Given text a person wrote / When it is rendered / Then the stored HTML is exactly this
    assert render_markdown(markdown) == expected


HOSTILE = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "![x](http://e.com/x.png)",
    '[x](http://e.com "a\\" onerror=\\"alert(1)")',
    "<svg><animate onbegin=alert(1)>",
    "[x](data:text/html,<script>alert(1)</script>)",
    "![see [a](javascript:alert(1))](http://y.com)",
]


class _Elements(HTMLParser):
    """Collects the elements and attributes a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def _elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


@pytest.mark.parametrize("markdown", HOSTILE)
def test_hostile_input_never_yields_an_executable_element_or_attribute(markdown: str) -> None:
    elements = _elements(render_markdown(markdown))

    assert {tag for tag, _ in elements} <= {"p", "a"}
    for _, attrs in elements:
        assert not [name for name in attrs if name.startswith("on")]
        assert not (attrs.get("href") or "").lower().startswith(("javascript:", "data:"))


def test_every_link_is_marked_nofollow_ugc_noopener() -> None:
    html = render_markdown("[a](https://a.example) https://b.example <https://c.example>")

    assert html.count("<a ") == 3
    assert html.count(REL) == 3


def test_very_long_input_renders_all_of_it_as_one_paragraph() -> None:
    text = "word " * 40_000

    html = render_markdown(text)

    assert html.startswith("<p>word word")
    assert html.endswith("word</p>")
    assert html.count("word") == 40_000


def test_deeply_nested_quotes_are_capped_instead_of_exhausting_the_server() -> None:
    html = render_markdown(">" * 5_000 + " deep")

    assert html.startswith("<blockquote>")
    assert html.count("<blockquote>") <= 20


def test_plain_text_drops_all_tags() -> None:
    html = render_markdown("**Hello** [there](https://example.org)")

    assert plain_text(html) == "Hello there"


def test_policy_text_keeps_its_own_heading_levels() -> None:
    html = render_markdown("## Who is responsible\n\nWe are.", heading_offset=0)

    assert html == "<h2>Who is responsible</h2>\n<p>We are.</p>"


def test_an_excerpt_escapes_the_text_and_marks_only_the_given_spans() -> None:
    from patientvoice.core.markup import excerpt_with_marks

    text = 'Före <script>alert("x")</script> biverkning & trötthet, och mer text efteråt'
    start = text.index("<script>")
    end = text.index(", och")
    word = text.index("biverkning")

    html = excerpt_with_marks(text, start, end, [(word, word + len("biverkning"))])

    assert html == (
        "… &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>biverkning</mark>"
        " &amp; trötthet …"
    )
