"""Words and stems: the same for the index, the query and the snippet."""

from __future__ import annotations

import pytest

from patientvoice.search.stemming import query_terms, stem, stemmed_text, words


@pytest.mark.parametrize(
    ("a", "b", "language"),
    [
        ("biverkningar", "biverkning", "sv"),
        ("biverkningarna", "biverkning", "sv"),
        ("tröttheten", "trötthet", "sv"),
        ("headaches", "headache", "en"),
        ("treatments", "treatment", "en"),
        ("sleeping", "sleep", "en"),
    ],
)
def test_inflected_forms_share_a_stem_in_their_language(a, b, language):
    assert stem(a, language) == stem(b, language)


def test_a_query_word_is_stemmed_in_both_languages():
    assert query_terms("Biverkningar") == [
        tuple(sorted({stem("biverkning", "sv"), stem("biverkningar", "en")}))
    ]


def test_query_syntax_characters_are_not_words():
    assert words('"NEAR(a b)" OR title:* -x ^y {body}:z') == [
        "near", "a", "b", "or", "title", "x", "y", "body", "z",
    ]  # fmt: skip


def test_a_query_keeps_at_most_eight_distinct_words():
    assert len(query_terms("ett två tre fyra fem sex sju åtta nio tio ett")) == 8


def test_swedish_letters_are_kept_apart_from_plain_ones():
    assert stemmed_text("Är det så?", "sv") == "är det så"
    assert words("Är ar") == ["är", "ar"]


def test_stop_words_are_left_out_of_a_query_that_has_other_words():
    assert query_terms("och smärtan i the knee") == [
        tuple(sorted({stem("smärtan", "sv"), stem("smärtan", "en")})),
        tuple(sorted({stem("knee", "sv"), stem("knee", "en")})),
    ]


def test_a_query_of_stop_words_only_keeps_them():
    assert len(query_terms("to be or not to be")) == 4
