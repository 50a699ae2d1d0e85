"""Reviews, medicines, clinics and physicians in the one search index: what is found,
by whom, through the page and the API, and how the index follows publishing,
moderation, withdrawal, imports and approved suggestions."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.translation import pgettext

from patientvoice.core.models import ContentStatus
from patientvoice.directory import actions as directory_actions
from patientvoice.directory.importing_medicines import MedicineRow
from patientvoice.directory.models import Clinic, EntrySuggestion, Medicine, Physician
from patientvoice.directory.search import CLINIC_KIND, MEDICINE_KIND, PHYSICIAN_KIND
from patientvoice.moderation import actions as moderation_actions
from patientvoice.reviews import actions
from patientvoice.reviews.kinds import review_url
from patientvoice.reviews.search import REVIEW_KIND
from patientvoice.search.indexing import rebuild
from patientvoice.search.models import SearchEntry
from patientvoice.search.queries import SearchParams, search

from .factories import (
    UserFactory,
    acting_staff,
    clinic,
    medicine,
    new_member,
    physician,
    review,
    submit,
)

pytestmark = pytest.mark.django_db

visitor = None


def indexed(*labels: str) -> None:
    """As the after-publish hook or the import would have after commit (tests do not
    commit). The directory's kinds only when asked: the starter set is large."""
    rebuild(labels=labels or [REVIEW_KIND])


def found(q: str, user: Any = visitor, kind: str | None = None) -> list[str]:
    return [r.hit.url for r in search(user, SearchParams(q=q, kind=kind)).results]


def indexed_ids(label: str) -> set[int]:
    return set(SearchEntry.objects.filter(kind=label).values_list("object_id", flat=True))


def hide(target: Any) -> None:
    """A moderator hides ``target`` through an audited decision."""
    report = moderation_actions.flag(
        reporter=UserFactory.create(), kind="review", obj=target, reason="spam"
    )
    moderation_actions.decide(
        moderator=acting_staff(), case=report.case, action="hide",
        reason_code="terms_advertising", explanation="This review advertises a shop.",
    )  # fmt: skip


# --- reviews


def test_a_published_review_is_found_by_a_visitor_and_links_to_it_on_its_entrys_page():
    drug = medicine(name_sv="Ryggolin")
    written = review(drug, body="Hjälpte mot ryggsmärtan efter två veckor.")
    indexed()

    results = search(visitor, SearchParams(q="ryggsmärtan")).results

    page = reverse("directory:medicine_detail", kwargs={"slug": drug.slug})
    assert [r.hit.url for r in results] == [review_url(written)]
    # The permanent address leads to the review on its entry's page.
    assert Client().get(results[0].hit.url)["Location"] == f"{page}#review-{written.public_id}"
    assert results[0].hit.title == pgettext("search result", "Review of %(entry)s") % {
        "entry": "Ryggolin"
    }
    assert results[0].hit.place_url == page


def test_a_review_is_found_in_swedish_and_english_word_forms():
    sv = review(clinic(), body="Biverkningarna var milda.", language="sv")
    en = review(physician(), body="She explained the headaches well.", language="en")
    indexed()

    assert found("biverkning") == [review_url(sv)]
    assert found("headache") == [review_url(en)]


def test_a_held_review_is_found_by_nobody_not_even_its_author(django_capture_on_commit_callbacks):
    author = UserFactory.create()
    drug = medicine()
    with django_capture_on_commit_callbacks(execute=True):
        result = submit(author, drug, body="Min text om 0701234567 och yrseln.")
    indexed()

    assert result.held
    assert indexed_ids(REVIEW_KIND) == set()
    assert found("yrseln", author) == []
    assert found("yrseln", acting_staff()) == []


def test_publishing_a_review_indexes_it_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        written = review(clinic(), body="Personalen var vänlig och lyssnade.")

    assert indexed_ids(REVIEW_KIND) == {written.pk}
    assert found("vänlig") == [review_url(written)]


def test_a_review_hidden_by_a_moderator_leaves_the_index(django_capture_on_commit_callbacks):
    written = review(clinic(), body="Lång väntan i receptionen.")
    indexed()
    assert found("receptionen") == [review_url(written)]

    with django_capture_on_commit_callbacks(execute=True):
        hide(written)

    written.refresh_from_db()
    assert written.status == ContentStatus.HIDDEN
    assert indexed_ids(REVIEW_KIND) == set()
    assert found("receptionen") == []
    assert found("receptionen", written.author) == []


def test_a_review_restored_by_a_moderator_is_indexed_again(django_capture_on_commit_callbacks):
    written = review(clinic(), body="Lång väntan i kassan.")
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_review_status(written, ContentStatus.REMOVED)
    assert indexed_ids(REVIEW_KIND) == set()

    with django_capture_on_commit_callbacks(execute=True):
        actions.set_review_status(written, ContentStatus.PUBLISHED)

    assert indexed_ids(REVIEW_KIND) == {written.pk}


def test_a_stale_index_row_of_a_hidden_review_shows_nothing():
    written = review(clinic(), body="Trasig hiss i entrén.")
    indexed()
    actions.set_review_status(written, ContentStatus.HIDDEN)  # after-commit work not run

    assert indexed_ids(REVIEW_KIND) == {written.pk}
    assert found("hiss") == []
    assert search(visitor, SearchParams(q="hiss")).count == 0


def test_a_withdrawn_review_leaves_the_index(django_capture_on_commit_callbacks):
    author = UserFactory.create()
    written = review(clinic(), body="Parkeringen var full.", author=author)
    indexed()

    with django_capture_on_commit_callbacks(execute=True):
        actions.withdraw_review(review=written, actor=author)

    assert indexed_ids(REVIEW_KIND) == set()


def test_an_edit_that_is_held_takes_a_review_out_of_the_index(django_capture_on_commit_callbacks):
    author = UserFactory.create()
    written = review(clinic(), body="Bra bemötande.", author=author)
    indexed()

    with django_capture_on_commit_callbacks(execute=True):
        result = actions.edit_review(
            review=written, editor=author, scores=written.scores, conflict="none",
            body="Ring mig på 0701234567 om bemötandet.",
        )  # fmt: skip

    assert result.held
    assert indexed_ids(REVIEW_KIND) == set()


def test_reviews_without_text_and_reviews_of_inactive_entries_are_not_indexed():
    review(clinic(), body="")
    gone = clinic()
    review(gone, body="Stängd mottagning numera.")
    Clinic.objects.filter(pk=gone.pk).update(is_active=False)

    indexed()

    assert indexed_ids(REVIEW_KIND) == set()
    assert found("mottagning") == []


# --- directory entries


def test_a_medicine_is_found_by_its_brand_and_its_english_substance_name():
    drug = medicine(
        slug="testofen", name_sv="Testofen", inn_en="testoprofen", brands_sv=["Värkbort"]
    )
    indexed(MEDICINE_KIND)
    page = reverse("directory:medicine_detail", kwargs={"slug": drug.slug})

    assert found("värkbort", kind=MEDICINE_KIND) == [page]
    assert found("testoprofen", kind=MEDICINE_KIND) == [page]


def test_clinics_and_physicians_are_found_by_place_kind_and_specialty():
    place = clinic(slug="hjartmottagningen", name="Hjärtmottagningen", municipality="Ystad")
    doctor = physician(slug="dr-test", name="Doktor Testsson", specialty="Kardiologi")
    doctor.workplaces.add(place)
    indexed(CLINIC_KIND, PHYSICIAN_KIND)

    assert found("ystad") == [reverse("directory:clinic_detail", kwargs={"slug": place.slug})]
    physician_page = reverse("directory:physician_detail", kwargs={"slug": doctor.slug})
    assert found("kardiologi") == [physician_page]
    # Indexed with the names of where they work.
    assert physician_page in found("hjärtmottagningen")


def test_inactive_entries_are_not_found():
    medicine(slug="gammalin", name_sv="Gammalin", is_active=False)
    active = medicine(slug="gammalin-ny", name_sv="Gammalin ny")
    indexed(MEDICINE_KIND)

    assert found("gammalin", kind=MEDICINE_KIND) == [
        reverse("directory:medicine_detail", kwargs={"slug": active.slug})
    ]


def test_importing_medicines_indexes_them_after_commit(django_capture_on_commit_callbacks):
    row = MedicineRow(
        line=2, slug="importol", inn_en="importol", name_sv="Importol", prescription="otc"
    )

    with django_capture_on_commit_callbacks(execute=True):
        directory_actions.import_medicines(rows=[row])

    assert indexed_ids(MEDICINE_KIND) == {Medicine.objects.get(slug="importol").pk}
    assert found("importol") == [reverse("directory:medicine_detail", args=["importol"])]


def test_an_approved_suggestion_is_indexed_after_commit(django_capture_on_commit_callbacks):
    suggestion = EntrySuggestion.objects.create(
        kind="physician", name="Doktor Förslagsson", suggested_by=UserFactory.create()
    )

    with django_capture_on_commit_callbacks(execute=True):
        entry = directory_actions.approve_suggestion(actor=acting_staff(), suggestion=suggestion)

    assert isinstance(entry, Physician)
    assert indexed_ids(PHYSICIAN_KIND) == {entry.pk}


def test_the_rebuild_command_indexes_entries_and_published_reviews():
    review(clinic(), body="Ett omdöme med text.")
    review(clinic(), body="Ett väntande omdöme.", author=new_member())
    out = StringIO()

    call_command("rebuild_search_index", stdout=out)

    lines = out.getvalue().splitlines()
    assert "reviews.review: 1 indexed, 0 removed" in lines
    medicines = Medicine.objects.filter(is_active=True).count()
    assert f"directory.medicine: {medicines} indexed, 0 removed" in lines
    assert any(line.startswith("directory.clinic: ") for line in lines)
    assert any(line.startswith("directory.physician: ") for line in lines)


# --- the page and the API


def test_the_search_page_filters_by_the_new_kinds(client: Client):
    drug = medicine(slug="filtrin", name_sv="Filtrin")
    written = review(drug, body="Filtrin gav mig lugn.")
    indexed(REVIEW_KIND, MEDICINE_KIND)

    everything = client.get(reverse("search:search"), {"q": "filtrin"})
    only_reviews = client.get(reverse("search:search"), {"q": "filtrin", "kind": REVIEW_KIND})
    only_medicines = client.get(reverse("search:search"), {"q": "filtrin", "kind": MEDICINE_KIND})

    review_hit = f'href="{review_url(written)}"'
    medicine_hit = f'<h3><a href="{reverse("directory:medicine_detail", args=["filtrin"])}">'
    assert review_hit in everything.text
    assert medicine_hit in everything.text
    assert review_hit in only_reviews.text
    assert medicine_hit not in only_reviews.text
    assert review_hit not in only_medicines.text
    assert medicine_hit in only_medicines.text
    for label in (REVIEW_KIND, MEDICINE_KIND, CLINIC_KIND, PHYSICIAN_KIND):
        assert f'value="{label}"' in everything.text


def test_the_search_api_finds_reviews_by_kind(client: Client):
    written = review(clinic(), body="Snabb återkoppling från mottagningen.")
    indexed()

    response = client.get("/api/v1/search", {"q": "återkoppling", "kind": REVIEW_KIND})

    items = response.json()["items"]
    assert [item["kind"] for item in items] == [REVIEW_KIND]
    assert items[0]["url"].endswith(review_url(written))


def test_a_page_of_review_results_has_a_fixed_query_count(
    client: Client, django_assert_num_queries: Any
):
    for n in range(25):
        review(clinic(), body=f"Omdöme nummer {n} om tandläkaren.")
    indexed()

    # candidates, their entries, the reviews' visibility, the page's reviews
    with django_assert_num_queries(4):
        response = client.get("/api/v1/search", {"q": "tandläkaren", "limit": "25"})

    assert response.json()["count"] == 25
