"""What erasure does to safety records (decisions/0036): the link between the person
and their pseudonymous reference goes, and so do the messages they were sent. Signals,
cases and follow-up attempts stay (pharmacovigilance records the law requires,
GDPR art. 17(3)(b) and (c)), naming nobody."""

from __future__ import annotations

from django.db import transaction

from patientvoice.accounts.models import User

from ..models import ReporterRef, SafetyMessage


@transaction.atomic
def erase_safety_data(user: User) -> None:
    """Both erasure modes: cut the person from their reporter reference and delete their
    safety messages. Runs inside ``accounts.actions.erase_account``."""
    SafetyMessage.objects.filter(recipient=user).delete()
    ReporterRef.objects.filter(user=user).delete()
