"""Snippets are plain text, escaped, with matched words in <mark>."""

from __future__ import annotations

from patientvoice.search.snippets import highlight
from patientvoice.search.stemming import query_terms


def test_matched_words_are_marked_in_any_inflection():
    snippet = highlight("Jag fick biverkningar av medicinen.", "sv", query_terms("biverkning"))

    assert str(snippet) == "Jag fick <mark>biverkningar</mark> av medicinen."


def test_markup_in_the_text_is_escaped_never_rendered():
    text = '<script>alert(1)</script> headaches <img src=x onerror="y">'

    snippet = str(highlight(text, "en", query_terms("headache")))

    assert "<script>" not in snippet
    assert "<img" not in snippet
    assert "&lt;script&gt;" in snippet
    assert "<mark>headaches</mark>" in snippet


def test_a_long_text_is_cut_around_the_first_match():
    text = " ".join(["ord"] * 200) + " sömnproblem " + " ".join(["slut"] * 200)

    snippet = str(highlight(text, "sv", query_terms("sömnproblem")))

    assert snippet.startswith("… ")
    assert snippet.endswith(" …")
    assert "<mark>sömnproblem</mark>" in snippet
    assert len(snippet) < 300


def test_without_a_match_the_snippet_is_the_start_of_the_text():
    assert str(highlight("Kort text.", "sv", query_terms("annat"))) == "Kort text."
