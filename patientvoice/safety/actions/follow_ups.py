"""Follow-up: a private, templated message to the author of a signal's content asking
for missing details and consent to be contacted; every attempt is logged on the signal
(and so on its case). The author reads and answers it at
``/<language>/safety/messages/``; an e-mail only says that a message is waiting (no
health data in e-mail)."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext, pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.core import audit
from patientvoice.core.tasks import send_email
from patientvoice.notifications.notices import forget_unread_notices

from ..concepts import reaction_label
from ..errors import AlreadyAnswered, InvalidInput
from ..models import (
    FollowUpAttempt,
    FollowUpOutcome,
    MissingDetail,
    ReporterRef,
    SafetyMessage,
    SafetySignal,
    SignalStatus,
)
from ..permissions import check_safety_officer


def _medicine_words(signal: SafetySignal, language: str) -> str:
    if signal.medicine is not None:
        from patientvoice.directory.queries import medicine_name

        return medicine_name(signal.medicine, language)
    return pgettext("safety follow-up message", "a medicine")


def compose(
    signal: SafetySignal, asked_for: list[str], note: str, language: str
) -> tuple[str, str]:
    """The message's subject and text in ``language``: plain words, what is asked, that
    answering is voluntary, and where to report directly."""
    from patientvoice.directory.medicine_views import SIDE_EFFECT_REPORT_URL

    with translation.override(language):
        subject = pgettext(
            "safety follow-up message", "A question about a side effect you wrote about"
        )
        reaction = reaction_label(signal.reaction, language)
        about = (
            pgettext(
                "safety follow-up message",
                "You wrote on PatientVoice about %(reaction)s and %(medicine)s.",
            )
            % {"reaction": reaction.lower(), "medicine": _medicine_words(signal, language)}
            if reaction
            else pgettext(
                "safety follow-up message",
                "You wrote on PatientVoice about %(medicine)s and something it may have caused.",
            )
            % {"medicine": _medicine_words(signal, language)}
        )
        lines = [
            about,
            pgettext(
                "safety follow-up message",
                "%(operator)s must look into every possible side effect of a medicine that is "
                "mentioned here. Can you tell us a little more?",
            )
            % {"operator": settings.PV_OPERATOR_NAME},
        ]
        if asked_for:
            lines += ["", pgettext("safety follow-up message", "We would like to know:")]
            lines += [f"- {MissingDetail(key).label}" for key in asked_for]
        if note:
            lines += ["", note]
        lines += [
            "",
            pgettext(
                "safety follow-up message",
                "You do not have to answer. If you do, your answer goes to the safety officers "
                "without your handle or your e-mail address. Tell us also if we may contact "
                "you again about this. We only contact you here, on PatientVoice.",
            ),
            "",
            pgettext(
                "safety follow-up message",
                "You can also report the side effect yourself to Läkemedelsverket: %(url)s",
            )
            % {"url": SIDE_EFFECT_REPORT_URL},
        ]
    return subject, "\n".join(lines)


def _clean(asked_for: list[str], note: str) -> tuple[list[str], str]:
    unknown = [key for key in asked_for if key not in MissingDetail.values]
    if unknown:
        raise InvalidInput(
            "asked_for", pgettext_lazy("safety follow-up form", "Choose from the list.")
        )
    text = (note or "").strip()
    if len(text) > FollowUpAttempt.MAX_NOTE_LENGTH:
        raise InvalidInput(
            "note",
            pgettext_lazy("safety follow-up form", "Please keep it under %(limit)s characters."),
            limit=FollowUpAttempt.MAX_NOTE_LENGTH,
        )
    ordered = [key for key in MissingDetail.values if key in asked_for]
    return ordered, text


def _email(recipient: User, message: SafetyMessage) -> None:
    """Tell the person a message waits, to a verified address only, never while their
    erasure is pending. The e-mail holds no health data: only the link."""
    from patientvoice.notifications.tokens import verified_address

    if recipient.erasure_requested_at is not None:
        return
    address = verified_address(recipient)
    if address is None:
        return
    with translation.override(recipient.preferred_language):
        url = settings.SITE_URL + reverse("safety:message", args=[message.public_id])
        subject = pgettext("safety follow-up e-mail", "PatientVoice: you have a message")
        body = "\n".join(
            [
                pgettext("safety follow-up e-mail", "Hello %(handle)s,")
                % {"handle": recipient.handle},
                "",
                pgettext(
                    "safety follow-up e-mail",
                    "You have a private message with a question about something you wrote. "
                    "Read it here (you need to log in):",
                ),
                url,
            ]
        )
    transaction.on_commit(
        partial(
            send_email.enqueue,
            subject=subject,
            body=body + "\n",
            to=[address],
            from_email=settings.DEFAULT_FROM_EMAIL,
        )
    )


@transaction.atomic
def send_follow_up(
    *, officer: User, signal: SafetySignal, asked_for: list[str], note: str = ""
) -> FollowUpAttempt:
    """Ask the author of the signal's content for the details in ``asked_for``
    (:class:`MissingDetail`) and for consent to be contacted.

    Preconditions: an active safety officer. Effects: an attempt is logged on the
    signal whatever happens; when the author's account still exists, a
    :class:`SafetyMessage` in their language waits for them and an e-mail says so;
    otherwise the attempt says it was not delivered. A signal that was not reviewed
    yet (or not a case) is marked "needs follow-up". Audited."""
    check_safety_officer(officer)
    keys, text = _clean(asked_for, note)
    locked = SafetySignal.objects.select_for_update().get(pk=signal.pk)
    link = (
        ReporterRef.objects.filter(ref=locked.reporter_ref).select_related("user").first()
        if locked.reporter_ref
        else None
    )
    recipient = link.user if link is not None else None
    language = recipient.preferred_language if recipient is not None else ""
    attempt = FollowUpAttempt.objects.create(
        signal=locked,
        sent_by=officer,
        asked_for=keys,
        note=text,
        language=language,
        outcome=FollowUpOutcome.SENT if recipient is not None else FollowUpOutcome.NOT_DELIVERED,
    )
    if recipient is not None:
        subject, body = compose(signal, keys, text, language)
        message = SafetyMessage.objects.create(
            recipient=recipient, attempt=attempt, subject=subject, text=body
        )
        forget_unread_notices(recipient.pk)
        _email(recipient, message)
    if locked.status in (SignalStatus.NEW, SignalStatus.NOT_A_CASE):
        now = timezone.now()
        SafetySignal.objects.filter(pk=locked.pk).update(
            status=SignalStatus.FOLLOW_UP, decided_at=now, decided_by=officer, updated_at=now
        )
        signal.status = SignalStatus.FOLLOW_UP
    audit.record(
        actor=officer,
        action="safety.follow_up_sent",
        target=signal,
        data={"attempt": str(attempt.public_id), "asked_for": keys, "outcome": attempt.outcome},
    )
    return attempt


@transaction.atomic
def answer_follow_up(
    *, user: User, message: SafetyMessage, consent_to_contact: bool, answer: str
) -> FollowUpAttempt:
    """The recipient answers: their details (optional) and whether they may be
    contacted again. Once (``AlreadyAnswered``). The answer goes to the attempt, which
    the case keeps (pseudonymous); the message keeps only when it was answered."""
    if message.recipient_id != user.pk:
        raise AlreadyAnswered()  # never reached through access_message; belt and braces
    text = (answer or "").strip()
    if len(text) > FollowUpAttempt.MAX_ANSWER_LENGTH:
        raise InvalidInput(
            "answer",
            pgettext_lazy("safety follow-up answer", "Please keep it under %(limit)s characters."),
            limit=FollowUpAttempt.MAX_ANSWER_LENGTH,
        )
    locked = SafetyMessage.objects.select_for_update().get(pk=message.pk)
    if locked.answered_at is not None:
        raise AlreadyAnswered()
    now = timezone.now()
    SafetyMessage.objects.filter(pk=message.pk).update(
        answered_at=now, read_at=locked.read_at or now, updated_at=now
    )
    forget_unread_notices(user.pk)
    message.answered_at = now
    attempt = FollowUpAttempt.objects.get(pk=message.attempt_id)
    attempt.answer = text
    attempt.consent_to_contact = bool(consent_to_contact)
    attempt.answered_at = now
    attempt.outcome = FollowUpOutcome.ANSWERED
    attempt.save(
        update_fields=["answer", "consent_to_contact", "answered_at", "outcome", "updated_at"]
    )
    return attempt


@transaction.atomic
def mark_message_read(*, user: User, message: SafetyMessage) -> None:
    if message.recipient_id != user.pk or message.read_at is not None:
        return
    now = timezone.now()
    SafetyMessage.objects.filter(pk=message.pk, read_at__isnull=True).update(
        read_at=now, updated_at=now
    )
    forget_unread_notices(user.pk)
    message.read_at = now
