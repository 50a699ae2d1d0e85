"""Questions to a sponsor's medical information service (issue 7, item 6; decisions/0038).

In a sponsored programme members ask about the sponsor's medicines, often about uses
the product information (FASS) does not cover. Sponsor staff may never answer those
in public (advertising of prescription medicines to the public is banned, 2001/83/EC
art. 88; off-label promotion above all), so the question goes privately to the
sponsor's medical information service, which answers the person directly:

* a sponsor with a ``medical_information_email`` shows an "Ask privately" form on its
  page; a signed-in member writes the medicine and the question and consents to the
  question and their e-mail address going to the service (nothing is sent without it);
* the question is stored (asker and site staff see it, nobody else), e-mailed after
  commit to the service with the asker's verified address as the reply address;
* the side-effect detector reads it: a possible side effect is named in the e-mail's
  subject, because the service must assess what it receives on its own legal clock;
* rate limited, exported with the asker's data and deleted when they are erased.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import pgettext

from patientvoice.accounts.models import User
from patientvoice.core import audit, ratelimit
from patientvoice.core.tasks import send_email

from .models import (
    MedicalInformationRequest,
    MedicalInformationStatus,
    Organization,
    OrganizationKind,
)

QUESTIONS_PER_DAY = 5


class QuestionRefused(ValueError):
    """A question that cannot be sent; ``status`` for the page, the message says why."""

    def __init__(self, message: str, *, status: int = 400, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.field = field


def takes_questions(sponsor: Organization) -> bool:
    return sponsor.kind == OrganizationKind.SPONSOR and bool(sponsor.medical_information_email)


def _verified_address(user: User) -> str | None:
    from patientvoice.notifications.tokens import verified_address

    return verified_address(user)


def check_can_ask(user: Any, sponsor: Organization) -> str:
    """The asker's verified address, or a refusal: only sponsors with a service take
    questions (404 for the rest: there is no form), only members with a verified
    address (the service must be able to answer)."""
    if not takes_questions(sponsor):
        raise QuestionRefused(
            pgettext("medical information", "This organisation takes no questions here."),
            status=404,
        )
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    address = _verified_address(user)
    if address is None:
        raise QuestionRefused(
            pgettext(
                "medical information",
                "Confirm your e-mail address first (My account → E-mail): the service "
                "answers you there.",
            ),
            status=403,
        )
    return address


def _possible_side_effect(text: str, language: str) -> bool:
    from patientvoice.safety.detection import detect

    threshold = settings.PV_SAFETY_SIGNAL_THRESHOLD
    return any(d.confidence >= threshold for d in detect(text, language=language))


@transaction.atomic
def ask_medical_information(
    *,
    asker: User,
    sponsor: Organization,
    medicine: str,
    question: str,
    consent: bool,
    language: str = "sv",
) -> MedicalInformationRequest:
    """Store ``asker``'s question and send it to the sponsor's service after commit.

    Refuses (:class:`QuestionRefused`): a sponsor without a service (404), an asker
    without a verified address (403), no consent, an empty or too long medicine or
    question (400, naming the field), more than ``QUESTIONS_PER_DAY`` a day (429).
    Effects: the request row; audited (``organizations.medical_information_asked``,
    without the text); the e-mail task enqueued on commit."""
    address = check_can_ask(asker, sponsor)
    medicine, question = medicine.strip(), question.strip()
    if not medicine or len(medicine) > 200:
        raise QuestionRefused(
            pgettext("medical information", "Name the medicine (at most 200 characters)."),
            field="medicine",
        )
    if not question or len(question) > MedicalInformationRequest.MAX_QUESTION:
        raise QuestionRefused(
            pgettext("medical information", "Write your question (at most 4,000 characters)."),
            field="question",
        )
    if not consent:
        raise QuestionRefused(
            pgettext(
                "medical information",
                "Nothing is sent without your consent: tick the box to send the question.",
            ),
            field="consent",
        )
    if not ratelimit.allow("medical-information", asker.pk, QUESTIONS_PER_DAY, 24 * 3600):
        raise QuestionRefused(
            pgettext(
                "medical information",
                "You have sent five questions today. Please wait until tomorrow, or call "
                "the service directly.",
            ),
            status=429,
        )
    request = MedicalInformationRequest.objects.create(
        sponsor=sponsor,
        asker=asker,
        medicine=medicine,
        question=question,
        language=language,
        possible_side_effect=_possible_side_effect(f"{medicine}: {question}", language),
        sent_to=sponsor.medical_information_email,
    )
    audit.record(
        actor=asker,
        action="organizations.medical_information_asked",
        target=sponsor,
        data={"request": str(request.public_id), "side_effect": request.possible_side_effect},
    )
    _send(request, reply_to=address)
    return request


def _send(request: MedicalInformationRequest, *, reply_to: str) -> None:
    with translation.override(request.sponsor.language):
        subject = pgettext(
            "medical information e-mail", "Question from a PatientVoice member: %(medicine)s"
        ) % {"medicine": request.medicine}
        if request.possible_side_effect:
            subject = pgettext(
                "medical information e-mail", "Possible side effect – %(subject)s"
            ) % {"subject": subject}
        lines = [
            pgettext(
                "medical information e-mail",
                "A member of PatientVoice asks %(sponsor)s's medical information service. "
                "They consented to this question and their e-mail address being sent to you; "
                "answer them directly by replying to this message.",
            )
            % {"sponsor": request.sponsor.name},
            "",
            pgettext("medical information e-mail", "Medicine: %(medicine)s")
            % {"medicine": request.medicine},
            pgettext("medical information e-mail", "Sent: %(when)s")
            % {"when": timezone.localtime(request.created_at).strftime("%Y-%m-%d %H:%M")},
            pgettext("medical information e-mail", "Reference: %(ref)s")
            % {"ref": request.public_id},
            "",
            request.question,
        ]
        if request.possible_side_effect:
            lines += [
                "",
                pgettext(
                    "medical information e-mail",
                    "PatientVoice's screening found a possible side effect in this question. "
                    "Assess it under your pharmacovigilance procedures.",
                ),
            ]
    transaction.on_commit(
        partial(
            send_email.enqueue,
            subject=subject,
            body="\n".join(lines) + "\n",
            to=[request.sponsor.medical_information_email],
            from_email=settings.DEFAULT_FROM_EMAIL,
            reply_to=[reply_to],
        )
    )
    pk = request.pk
    transaction.on_commit(partial(_mark_sent, pk))


def _mark_sent(pk: int) -> None:
    # The message is handed to the mail queue (and its retries) once this runs.
    MedicalInformationRequest.objects.filter(pk=pk, status=MedicalInformationStatus.WAITING).update(
        status=MedicalInformationStatus.SENT, sent_at=timezone.now()
    )


def own_requests(user: Any) -> QuerySet[MedicalInformationRequest]:
    """The asker's own questions, newest first (site staff read them in the admin)."""
    if not getattr(user, "is_authenticated", False):
        return MedicalInformationRequest.objects.none()
    return MedicalInformationRequest.objects.filter(asker_id=user.pk).select_related("sponsor")


def erase_requests_of(user: User) -> int:
    """Erasure: the questions go (the service keeps what it received, as its own
    controller). Returns how many."""
    deleted, _ = MedicalInformationRequest.objects.filter(asker=user).delete()
    return deleted
