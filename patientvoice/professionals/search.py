"""Verified professionals' public cards as a kind of the one search index
(:mod:`patientvoice.search.registry`; registered from ``ProfessionalsConfig.ready()``).

* What is indexed: an active credential's public card (``permissions.visible_cards``):
  the name the professional chose to appear under (real name or handle), the
  profession in Swedish and English, specialty and employer. Nothing from the private
  profile; the card shows the same to every reader.
* Who finds it: everyone. Every result passes ``visible_cards`` when the search runs,
  so an expired credential (its time passes without any write) is never listed even
  before its row leaves the index.
* Kept current: the actions that change a person's credentials (approval, revocation,
  expiry) reindex that person's credentials after commit (:func:`reindex_cards_of`);
  ``rebuild_search_index`` rebuilds it all.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import pgettext, pgettext_lazy

from patientvoice.search import indexing
from patientvoice.search.registry import (
    PUBLIC,
    Document,
    Hit,
    SearchKind,
    document_text,
    in_both_languages,
    register_kind,
)

from .models import Credential, Profession
from .permissions import visible_cards

CARD_KIND = Credential._meta.label_lower  # "professionals.credential"
# The document holds the profession in both languages; the row's language only picks
# the stemmer (as the directory's entries do).
INDEX_LANGUAGE = "sv"


def _shown_name(credential: Credential) -> str:
    return credential.real_name if credential.shows_real_name else credential.user.handle


def _professions(credential: Credential) -> list[str]:
    if credential.is_outside_sweden:
        return [credential.profession_label()]
    return in_both_languages(Profession(credential.profession).label)


def indexable_cards() -> QuerySet[Credential]:
    # ``published_at`` is what the index orders and filters by (rebuild walks it).
    cards: QuerySet[Credential] = visible_cards(Credential.objects.all())
    return cards.annotate(published_at=F("verified_at")).select_related("user")


def card_documents(qs: QuerySet[Credential]) -> Iterator[Document]:
    for credential in qs.select_related("user"):
        yield Document(
            object_id=credential.pk,
            title=_shown_name(credential),
            body=document_text(
                [*_professions(credential), credential.specialty, credential.employer]
            ),
            language=INDEX_LANGUAGE,
            published_at=credential.verified_at,
            community_id=None,
            audiences=(PUBLIC,),
            author_id=credential.user_id,
        )


def searchable_cards(user: Any, qs: QuerySet[Credential]) -> QuerySet[Credential]:
    return visible_cards(qs)


def card_hits(user: Any, ids: list[int]) -> dict[int, Hit]:
    place = pgettext("search result", "Verified healthcare professionals")
    hits = {}
    for credential in visible_cards(Credential.objects.filter(pk__in=ids)).select_related("user"):
        url = reverse("professionals:card", kwargs={"public_id": credential.public_id})
        hits[credential.pk] = Hit(
            title=_shown_name(credential),
            url=url,
            text=" · ".join(
                part for part in (credential.profession_label(), credential.specialty) if part
            ),
            language=INDEX_LANGUAGE,
            published_at=credential.verified_at,
            place=place,
            place_url=url,
        )
    return hits


CARD_SEARCH_KIND = SearchKind(
    label=CARD_KIND,
    name=pgettext_lazy("search kind", "Professionals"),
    model=Credential,
    indexable=indexable_cards,
    documents=card_documents,
    searchable=searchable_cards,
    hits=card_hits,
)


def register_card_search() -> None:
    register_kind(CARD_SEARCH_KIND)


def reindex_cards_of(user_id: int) -> None:
    """Make the index hold exactly the person's active card (call after commit):
    a new one enters, a revoked, expired or replaced one leaves."""
    ids = Credential.objects.filter(user_id=user_id).values_list("pk", flat=True)
    indexing.index(CARD_KIND, list(ids))
