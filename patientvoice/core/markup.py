"""The one place where text from people becomes HTML.

Markdown is rendered once, at write time, by markdown-it-py with raw HTML disabled
and bare links recognised, then sanitised by nh3 (ammonia) with a short allow-list.
Nothing else in the code base may turn user text into HTML.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from html import escape, unescape
from typing import Any
from urllib.parse import urlsplit

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "s", "a", "ul", "ol", "li", "blockquote",
    "code", "pre", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
    "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "span": {"class"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"
# "@handle" with the characters handles allow (accounts.handles: Latin letters, the
# digits 0-9, dots, dashes, underscores; 3-30 of them), not inside a word, an e-mail
# address or a path, anchor or "x:@y" (after "/", ":", "#" and the like); trailing
# punctuation ends the sentence.
_HANDLE_CHARS = "A-Za-z0-9_.\\-\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
MENTION_HANDLE_RE = re.compile(rf"(?<![\w@.\-/:#+=&%~\\])@([{_HANDLE_CHARS}]{{3,30}})(?![\w@/])")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable(["linkify", "strikethrough", "table"])
    # Headings inside a post must not compete with the page's own h1/h2.
    md.core.ruler.push("demote_headings", _demote_headings)
    # Embedded images would make readers' browsers fetch from third parties, so an
    # image becomes a plain link that shows its description.
    md.add_render_rule("image", _image_as_link)
    # "@handle" becomes <span class="mention">: styled, and read by notifications to
    # find who was mentioned. A span, not a link: it reveals nothing about the person.
    md.core.ruler.push("mentions", _mentions)
    md.add_render_rule("mention", _render_mention)
    return md


def _mentions(state: Any) -> None:
    quoted = 0
    for block in state.tokens:
        # Inside a quotation the words are someone else's: no mention there (nobody
        # is notified by being quoted).
        quoted += {"blockquote_open": 1, "blockquote_close": -1}.get(block.type, 0)
        if quoted or block.type != "inline" or not block.children or "@" not in block.content:
            continue
        children: list[Any] = []
        in_link = 0
        for token in block.children:
            in_link += {"link_open": 1, "link_close": -1}.get(token.type, 0)
            if token.type != "text" or in_link or "@" not in token.content:
                children.append(token)
                continue
            children.extend(_split_mentions(token))
        block.children = children


def _split_mentions(token: Any) -> list[Any]:
    pieces: list[Any] = []
    text = token.content
    position = 0
    for match in MENTION_HANDLE_RE.finditer(text):
        handle = match.group(1).rstrip("._-")
        if len(handle) < 3 or not any(c.isalnum() for c in handle):
            continue
        start, end = match.start(), match.start() + 1 + len(handle)
        if start > position:
            pieces.append(_text_token(text[position:start]))
        mention = Token("mention", "span", 0)
        mention.content = handle
        pieces.append(mention)
        position = end
    if not pieces:
        return [token]
    if position < len(text):
        pieces.append(_text_token(text[position:]))
    return pieces


def _text_token(content: str) -> Any:
    token = Token("text", "", 0)
    token.content = content
    return token


def _render_mention(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return f'<span class="mention">@{escape(tokens[idx].content)}</span>'


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
    if element == "span" and attribute == "class":
        return value if value == "mention" else None
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


MENTIONED_RE = re.compile(r'<span class="mention">@([^<]{3,30})</span>')


def mentioned_handles(html: str) -> list[str]:
    """The handles mentioned in HTML rendered by :func:`render_markdown`, in order,
    without repeats (as written; compare them through ``accounts.handles``)."""
    return list(dict.fromkeys(unescape(h) for h in MENTIONED_RE.findall(html)))


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


def excerpt_with_marks(
    text: str, start: int, end: int, marked: list[tuple[int, int]]
) -> SafeString:
    """``text[start:end]`` as HTML: escaped, with ``<mark>`` around the ``marked``
    spans (offsets into ``text``, in order, inside the window) and an ellipsis where
    the window cuts the text. Search snippets use it: the only HTML in an excerpt is
    ours."""
    parts: list[str] = ["… " if start > 0 else ""]
    cursor = start
    for span_start, span_end in marked:
        parts.append(escape(text[cursor:span_start], quote=True))
        parts.append(f"<mark>{escape(text[span_start:span_end], quote=True)}</mark>")
        cursor = span_end
    parts.append(escape(text[cursor:end], quote=True).rstrip())
    if end < len(text):
        parts.append(" …")
    return mark_safe("".join(parts))
