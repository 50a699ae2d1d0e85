"""The per-process fragment memo behind the thread page."""

from __future__ import annotations

from django.test import RequestFactory

from patientvoice.core.fragments import CSRF_SLOT, FragmentMemo, fill_csrf


def test_a_fragment_is_rendered_once_per_key() -> None:
    memo = FragmentMemo[str]("test", size=10)
    calls: list[str] = []

    def render(text: str) -> str:
        calls.append(text)
        return f"<p>{text}</p>"

    first = memo.get_or_render(("post", 1, "sv"), lambda: render("a"))
    again = memo.get_or_render(("post", 1, "sv"), lambda: render("changed"))

    assert first == again == "<p>a</p>"
    assert calls == ["a"]
    assert (memo.hits, memo.misses) == (1, 1)


def test_any_change_in_the_key_renders_afresh() -> None:
    memo = FragmentMemo[str]("test", size=10)
    memo.get_or_render(("post", 1, "sv", 3), lambda: "three helpful")

    assert memo.get_or_render(("post", 1, "sv", 4), lambda: "four helpful") == "four helpful"
    assert memo.get_or_render(("post", 1, "en", 3), lambda: "in English") == "in English"


def test_the_least_recently_used_fragment_falls_out_when_full() -> None:
    memo = FragmentMemo[str]("test", size=2)
    memo.get_or_render("a", lambda: "A")
    memo.get_or_render("b", lambda: "B")
    memo.get_or_render("a", lambda: "not rendered")  # "a" is now the most recent
    memo.get_or_render("c", lambda: "C")  # "b" falls out

    assert len(memo) == 2
    assert memo.get_or_render("a", lambda: "again") == "A"
    assert memo.get_or_render("b", lambda: "B again") == "B again"


def test_the_csrf_slot_is_filled_with_the_requests_token() -> None:
    request = RequestFactory().get("/")
    html = f'<input name="csrfmiddlewaretoken" value="{CSRF_SLOT}">' * 2

    filled = fill_csrf(request, html)

    assert CSRF_SLOT not in filled
    token = filled.split('value="')[1].split('"')[0]
    assert len(token) == 64
    assert filled.count(token) == 2


def test_html_without_a_form_is_returned_as_it_is() -> None:
    assert fill_csrf(RequestFactory().get("/"), "<p>no form</p>") == "<p>no form</p>"


def test_a_memo_block_renders_once_per_key_and_keeps_a_csrf_slot() -> None:
    from django.template import Context, Template

    from patientvoice.core.templatetags.fragments import TEMPLATE_MEMO

    TEMPLATE_MEMO.clear()
    page = Template(
        '{% load fragments %}{% memo "test" lang %}<p>{{ lang }} {{ extra }}</p>'
        "{% csrf_token %}{% endmemo %}"
    )

    first = page.render(Context({"lang": "sv", "extra": "one", "csrf_token": "real"}))
    second = page.render(Context({"lang": "sv", "extra": "two", "csrf_token": "real"}))
    english = page.render(Context({"lang": "en", "extra": "three", "csrf_token": "real"}))

    assert first == second  # the same key: remembered, "extra" is not part of it
    assert "<p>sv one</p>" in first
    assert CSRF_SLOT in first
    assert "real" not in first
    assert "<p>en three</p>" in english


def test_the_middleware_fills_the_slot_in_html_responses_only() -> None:
    from django.http import HttpResponse, JsonResponse

    from patientvoice.core.middleware import CsrfSlotMiddleware

    request = RequestFactory().get("/")
    html = CsrfSlotMiddleware(lambda r: HttpResponse(f"<form>{CSRF_SLOT}</form>"))(request)
    data = CsrfSlotMiddleware(lambda r: JsonResponse({"text": CSRF_SLOT}))(request)

    assert CSRF_SLOT.encode() not in html.content
    assert html.content.startswith(b"<form>")
    assert len(html.content) == len("<form></form>") + 64
    assert CSRF_SLOT.encode() in data.content  # only HTML is touched
