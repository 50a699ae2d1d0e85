"""E-mails about moderation: the statement of reasons to the member, the acknowledgement
and the outcome to whoever sent a notice, the outcome of an appeal.

Written in the recipient's language when the action runs and sent through
``core.tasks.send_email`` after the transaction commits, as the accounts' e-mails are:
a rolled-back decision sends nothing. Members are written to at their verified primary
address only, and never while their erasure is pending.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import pgettext

from patientvoice.accounts.models import User
from patientvoice.core.tasks import send_email
from patientvoice.notifications.tokens import verified_address

from .models import Action, Appeal, AppealStatus, Decision, ReasonCode, Report, StatementOfReasons


def _queue(*, subject: str, body: str, to: str) -> None:
    transaction.on_commit(
        partial(
            send_email.enqueue,
            subject=subject,
            body=body,
            to=[to],
            from_email=settings.DEFAULT_FROM_EMAIL,
        )
    )


def _member_address(user: User | None) -> str | None:
    if user is None or not user.is_active or user.erasure_requested_at is not None:
        return None
    return verified_address(user)


def _yes_no(value: bool) -> str:
    return pgettext("moderation e-mail", "yes") if value else pgettext("moderation e-mail", "no")


def send_statement(statement: StatementOfReasons, recipient: User) -> bool:
    """The statement of reasons, by e-mail (it is also shown on the site). Returns
    whether a message was queued."""
    address = _member_address(recipient)
    if address is None:
        return False
    with translation.override(statement.language):
        subject = pgettext(
            "moderation e-mail", "PatientVoice: a moderation decision about you (%(reference)s)"
        ) % {"reference": statement.reference}
        lines = [
            pgettext("moderation e-mail", "Hello %(handle)s,") % {"handle": recipient.handle},
            "",
            statement.restriction_text,
        ]
        if statement.content_excerpt:
            lines += ["", f"“{statement.content_excerpt}”"]
        lines += [
            "",
            pgettext("moderation e-mail", "Why: %(ground)s.") % {"ground": statement.ground_text},
            statement.facts,
            "",
            pgettext("moderation e-mail", "Found by automatic checks: %(answer)s.")
            % {"answer": _yes_no(statement.automated_detection)},
            pgettext("moderation e-mail", "Decided automatically: %(answer)s.")
            % {"answer": _yes_no(statement.automated_decision)},
            "",
            statement.redress_text,
            "",
            pgettext("moderation e-mail", "Reference: %(reference)s")
            % {"reference": statement.reference},
        ]
    _queue(subject=subject, body="\n".join(lines) + "\n", to=address)
    return True


def send_notice_acknowledgement(report: Report) -> bool:
    """DSA art. 16(4): confirm receipt of a notice, with its reference."""
    if not report.reporter_email:
        return False
    with translation.override(report.language):
        subject = pgettext(
            "moderation e-mail", "PatientVoice: we have received your notice (%(reference)s)"
        ) % {"reference": report.reference}
        body = "\n".join(
            [
                pgettext("moderation e-mail", "Hello %(name)s,") % {"name": report.reporter_name},
                "",
                pgettext(
                    "moderation e-mail",
                    "Thank you. We have received your notice about content on PatientVoice "
                    "and a moderator will look at it. We will write to you again when we "
                    "have decided.",
                ),
                "",
                pgettext("moderation e-mail", "Reference: %(reference)s")
                % {"reference": report.reference},
                pgettext("moderation e-mail", "Address you reported: %(url)s")
                % {
                    "url": settings.SITE_URL + report.url
                    if report.url.startswith("/")
                    else report.url
                },
            ]
        )
    _queue(subject=subject, body=body + "\n", to=report.reporter_email)
    return True


def send_notice_outcome(report: Report, decision: Decision) -> bool:
    """DSA art. 16(5): tell the sender of a notice what was decided and how to seek
    redress."""
    if not report.reporter_email:
        return False
    with translation.override(report.language):
        subject = pgettext(
            "moderation e-mail", "PatientVoice: decision on your notice (%(reference)s)"
        ) % {"reference": report.reference}
        if decision.action in (Action.KEEP, Action.RESTORE):
            outcome = pgettext(
                "moderation e-mail",
                "We looked at the content you reported and decided to leave it as it is.",
            )
        else:
            outcome = pgettext(
                "moderation e-mail",
                "We looked at the content you reported and decided: %(action)s.",
            ) % {"action": str(Action(decision.action).label).lower()}
        body = "\n".join(
            [
                pgettext("moderation e-mail", "Hello %(name)s,") % {"name": report.reporter_name},
                "",
                outcome,
                pgettext("moderation e-mail", "Why: %(ground)s.")
                % {"ground": str(ReasonCode(decision.reason_code).label)},
                pgettext("moderation e-mail", "Decided automatically: %(answer)s.")
                % {"answer": _yes_no(decision.automated)},
                "",
                pgettext(
                    "moderation e-mail",
                    "If you disagree, you can turn to a certified out-of-court dispute "
                    "settlement body, or to a court, and report illegal content to the police.",
                ),
                "",
                pgettext("moderation e-mail", "Reference: %(reference)s")
                % {"reference": report.reference},
            ]
        )
    _queue(subject=subject, body=body + "\n", to=report.reporter_email)
    return True


def send_appeal_outcome(appeal: Appeal, appellant: User | None) -> bool:
    """DSA art. 20(5): the outcome of an appeal, with its reasons."""
    address = _member_address(appellant)
    if appellant is None or address is None:
        return False
    statement = appeal.statement
    with translation.override(statement.language):
        subject = pgettext(
            "moderation e-mail", "PatientVoice: the outcome of your appeal (%(reference)s)"
        ) % {"reference": statement.reference}
        if appeal.status == AppealStatus.REVERSED:
            outcome = pgettext(
                "moderation e-mail",
                "Another moderator looked at the decision again and reversed it. What it "
                "restricted has been put back.",
            )
        else:
            outcome = pgettext(
                "moderation e-mail",
                "Another moderator looked at the decision again and kept it.",
            )
        body = "\n".join(
            [
                pgettext("moderation e-mail", "Hello %(handle)s,") % {"handle": appellant.handle},
                "",
                outcome,
                pgettext("moderation e-mail", "Why: %(reason)s")
                % {"reason": appeal.outcome_reason},
                "",
                pgettext(
                    "moderation e-mail",
                    "If you still disagree, you can turn to a certified out-of-court dispute "
                    "settlement body, or to a court.",
                ),
                "",
                pgettext("moderation e-mail", "Reference: %(reference)s")
                % {"reference": statement.reference},
            ]
        )
    _queue(subject=subject, body=body + "\n", to=address)
    return True
