"""The one place where text from people becomes HTML.

Markdown is rendered once, at write time, by markdown-it-py with raw HTML disabled
and bare links recognised, then sanitised by nh3 (ammonia) with a short allow-list.
Nothing else in the code base may turn user text into HTML.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from html import escape, unescape
from typing import Any
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "s", "a", "ul", "ol", "li", "blockquote",
    "code", "pre", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable(["linkify", "strikethrough", "table"])
    # Headings inside a post must not compete with the page's own h1/h2.
    md.core.ruler.push("demote_headings", _demote_headings)
    # Embedded images would make readers' browsers fetch from third parties, so an
    # image becomes a plain link that shows its description.
    md.add_render_rule("image", _image_as_link)
    return md


def _image_as_link(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    alt = self.renderInline(token.children or [], options, env) or token.attrGet("src")
    href = escape(str(token.attrGet("src") or ""))
    return f'<a href="{href}">{alt}</a>'


def _demote_headings(state: Any) -> None:
    offset = int(state.env.get("heading_offset", 2))
    for token in state.tokens:
        if token.type in {"heading_open", "heading_close"}:
            level = int(token.tag[1])
            token.tag = f"h{max(1, min(level + offset, 6))}"


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    if element == "a" and attribute == "href":
        scheme = urlsplit(value).scheme.lower()
        if scheme and scheme not in ALLOWED_SCHEMES:
            return None
    return value


def sanitize(html: str) -> str:
    """Sanitise HTML to the allow-list; every link gets ``rel="nofollow ugc noopener"``."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel=LINK_REL,
        attribute_filter=_filter_attribute,
        strip_comments=True,
    )


def render_markdown(text: str, *, heading_offset: int = 2) -> str:
    """Render Markdown to sanitised HTML ready to store and show.

    Headings are demoted by ``heading_offset`` levels (default: ``#`` becomes ``h3``) so
    text inside a page never competes with the page's own ``h1``/``h2``.
    """
    normalised = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return sanitize(_parser().render(normalised, {"heading_offset": heading_offset})).strip()


def plain_text(html: str) -> str:
    """Text as a reader sees it, without tags or entities, for snippets, e-mails, the
    search index and the text checks."""
    return unescape(nh3.clean(html, tags=set())).strip()


def text_as_read(html: str) -> str:
    """What a reader sees, normalised so look-alike tricks cannot hide from the text
    checks: entities decoded, compatibility forms folded (NFKC: full-width digits,
    ligatures) and invisible formatting characters (zero-width spaces) removed."""
    text = unicodedata.normalize("NFKC", plain_text(html))
    return "".join(c for c in text if unicodedata.category(c) != "Cf")
