"""Promotion-safe mode for a sponsor-controlled deployment (``PV_SPONSOR_CONTROLLED``;
decisions/0038).

When a pharmaceutical company controls a deployment, what the site shows about
medicines is the company's communication to the public, and advertising prescription
medicines to the public is banned in the EU (2001/83/EC art. 88). So, with the setting
on:

* a prescription medicine's page is neutral (:func:`neutral_medicine_page`): no star
  summary, no histogram, no adjusted score, and no place in a ranked list
  (:func:`neutral_medicines` for the rankings' queries). People's experiences (the
  review cards with their text and side effects) stay readable: hiding them would be
  curating what patients read. Medicines sold "with or without prescription" count as
  prescription medicines: some of their packs are prescription-only;
* texts by sponsor staff wait for a recorded medical and legal approval
  (``sponsor_approval``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

# Prescription statuses (directory.models.Prescription) whose medicines get neutral
# pages: "rx" and "mixed".
NEUTRAL_PRESCRIPTION = ("rx", "mixed")


def sponsor_controlled() -> bool:
    """Whether this deployment is controlled by a sponsor (the setting)."""
    return bool(getattr(settings, "PV_SPONSOR_CONTROLLED", False))


def neutral_medicine_page(medicine: Any) -> bool:
    """Whether ``medicine``'s page must leave out its rating summary, histograms and
    ranking position (its reviews stay). False whenever the setting is off."""
    return sponsor_controlled() and getattr(medicine, "prescription", "rx") in NEUTRAL_PRESCRIPTION


def neutral_medicines_q(prefix: str = "") -> Q:
    """The medicines (at ``prefix``: ``"medicine__"`` from a summary row) that no list
    may rank now, as a condition; one that matches nothing when the setting is off."""
    if not sponsor_controlled():
        return Q(pk__in=[])
    return Q(**{f"{prefix}prescription__in": NEUTRAL_PRESCRIPTION})


def neutral_medicines() -> QuerySet[Any]:
    """The ids of medicines no list may rank now, as a subquery for
    ``.exclude(medicine__in=neutral_medicines())``; empty when the setting is off."""
    from patientvoice.directory.models import Medicine

    return Medicine.objects.filter(neutral_medicines_q()).values("pk")
