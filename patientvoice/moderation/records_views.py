"""The moderators' records: appeals to decide, a member's history with private notes,
the moderation log, and (site staff) trusted flaggers. The queue and its cases are in
queue_views.py."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from patientvoice.accounts.handles import canonical_handle
from patientvoice.accounts.models import User
from patientvoice.accounts.permissions import signed_in_user
from patientvoice.communities.models import Community
from patientvoice.communities.permissions import is_site_staff, visible_communities
from patientvoice.core.models import AuditEntry, Content
from patientvoice.organizations.models import Organization

from . import actions
from .errors import (
    AppealClosed,
    InvalidDecision,
)
from .models import (
    Action,
    Appeal,
    Case,
    ReasonCode,
    TrustedFlagger,
)
from .permissions import (
    check_decide_appeal,
    check_manage_trusted_flaggers,
    visible_appeals,
    visible_cases,
)
from .queries import appeal_queue, member_history
from .queue_forms import (
    AppealDecisionForm,
    DesignateForm,
    NoteForm,
    RevokeForm,
)
from .queue_views import acting_moderator, kind_nouns
from .registry import get as get_kind

APPEALS_PER_PAGE = 50
LOG_PER_PAGE = 50

LOG_LABELS: dict[str, Any] = {
    "moderation.claim": pgettext_lazy("moderation log", "Took the item"),
    "moderation.assign": pgettext_lazy("moderation log", "Gave the item to another moderator"),
    "moderation.release": pgettext_lazy("moderation log", "Put the item back in the queue"),
    "moderation.appeal": pgettext_lazy("moderation log", "The member appealed"),
    "moderation.appeal_upheld": pgettext_lazy(
        "moderation log", "Appeal decided: the decision stands"
    ),
    "moderation.appeal_reversed": pgettext_lazy(
        "moderation log", "Appeal decided: the decision is undone"
    ),
    "moderation.note_added": pgettext_lazy("moderation log", "Wrote a private note"),
    "moderation.trusted_flagger_designated": pgettext_lazy(
        "moderation log", "Designated a trusted flagger"
    ),
    "moderation.trusted_flagger_revoked": pgettext_lazy(
        "moderation log", "Revoked a trusted flagger"
    ),
}


@login_required
@require_safe
def appeal_list(request: HttpRequest) -> HttpResponse:
    """Open appeals on cases the moderator may decide, except those against their own
    decisions (another moderator decides those: DSA art. 20(6)); oldest first."""
    user = acting_moderator(request)
    page = Paginator(appeal_queue(user), APPEALS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "moderation/queue/appeal_list.html", {"page": page})


def _access_appeal(user: User, appeal_id: uuid.UUID) -> Appeal:
    """The appeal, for a moderator who may decide it: 404 when they may not see its
    case, 403 with the reason for the moderator who made the decision."""
    appeal = (
        visible_appeals(user, Appeal.objects.filter(public_id=appeal_id))
        .select_related(
            "statement__decision__case__community",
            "statement__decision__moderator",
            "appellant",
            "decided_by",
        )
        .first()
    )
    if appeal is None:
        raise Http404
    check_decide_appeal(user, appeal)
    return appeal


@login_required
@require_http_methods(["GET", "POST"])
def appeal_detail(request: HttpRequest, appeal_id: uuid.UUID) -> HttpResponse:
    user = acting_moderator(request)
    appeal = _access_appeal(user, appeal_id)
    form = AppealDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.decide_appeal(
                moderator=user,
                appeal=appeal,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
            )
        except (InvalidDecision, AppealClosed) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                pgettext("moderation appeal", "The appeal is decided and the member is told why."),
            )
            return redirect("moderation:queue_appeals")
    statement = appeal.statement
    return render(
        request,
        "moderation/queue/appeal_detail.html",
        {
            "appeal": appeal,
            "statement": statement,
            "decision": statement.decision,
            "case": statement.decision.case,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


# --- a member's history and notes -------------------------------------------------------


def _note_organizations(user: User) -> tuple[QuerySet[Organization], bool]:
    """The organisations ``user`` may write notes for, and whether they may write site
    notes (staff). ``actions.add_note`` checks again."""
    if is_site_staff(user):
        return Organization.objects.order_by("name"), True
    return Organization.objects.filter(staff__user_id=user.pk).distinct().order_by("name"), False


@dataclass
class HistoryItem:
    excerpt: str
    url: str
    status: str
    created_at: Any


@login_required
@require_http_methods(["GET", "POST"])
def member_detail(request: HttpRequest, handle: str) -> HttpResponse:
    """A member's content, the cases and decisions about them, their sanctions and the
    private notes, as far as the moderator may see each (``queries.member_history``),
    with a form for a new note."""
    user = acting_moderator(request)
    member = User.objects.filter(handle_canonical=canonical_handle(handle)).first()
    if member is None:
        raise Http404
    organizations, site_note = _note_organizations(user)
    may_write = site_note or organizations.exists()
    form = (
        NoteForm(
            request.POST if request.method == "POST" else None,
            organizations=organizations,
            site_note=site_note,
        )
        if may_write
        else None
    )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.add_note(
                    moderator=user,
                    member=member,
                    text=form.cleaned_data["text"],
                    organization=form.cleaned_data["organization"],
                )
            except InvalidDecision as error:
                form.add_error("text", str(error))
            else:
                messages.success(request, pgettext("moderator note", "The note is saved."))
                return redirect("moderation:queue_member", handle=member.handle)
    history = member_history(user, member)
    content = []
    for kind, items in history.content.items():
        registered = get_kind(kind)
        content.append(
            (
                registered.noun,
                [
                    HistoryItem(
                        excerpt=registered.excerpt_of(item),
                        url=registered.url_of(item),
                        status=item.get_status_display() if isinstance(item, Content) else "",
                        created_at=item.created_at,
                    )
                    for item in items
                ],
            )
        )
    return render(
        request,
        "moderation/queue/member_detail.html",
        {
            "member": member,
            "history": history,
            "content": content,
            "form": form,
            "nouns": kind_nouns(),
        },
        status=400 if form is not None and form.errors else 200,
    )


# --- the moderation log -----------------------------------------------------------------


@dataclass
class LogRow:
    entry: AuditEntry
    label: str
    ground: str
    community: Community | None


def _log_label(action: str) -> str:
    if action in LOG_LABELS:
        return str(LOG_LABELS[action])
    verb = action.removeprefix("moderation.")
    if verb in Action.values:
        return str(Action(verb).label)
    return action


@login_required
@require_safe
def log_page(request: HttpRequest) -> HttpResponse:
    """The audit entries of moderation ("moderation.*"), newest first. Site staff see
    all; other moderators the entries that name a community whose cases they may decide
    (the actions record the case's community in ``data["community"]``)."""
    user = acting_moderator(request)
    entries = AuditEntry.objects.filter(action__startswith="moderation.")
    if not is_site_staff(user):
        communities = list(
            visible_cases(user, Case.objects.all())
            .order_by()
            .values_list("community_id", flat=True)
            .distinct()
        )
        entries = entries.filter(data__community__in=communities)
    page = Paginator(entries.order_by("-at", "-id"), LOG_PER_PAGE).get_page(request.GET.get("page"))
    named: set[int] = {
        entry.data["community"]
        for entry in page.object_list
        if isinstance(entry.data, dict) and isinstance(entry.data.get("community"), int)
    }
    communities_by_id = (
        {c.pk: c for c in visible_communities(user, Community.objects.filter(pk__in=named))}
        if named
        else {}
    )
    grounds = dict(ReasonCode.choices)
    rows = [
        LogRow(
            entry=entry,
            label=_log_label(entry.action),
            ground=str(grounds.get(entry.data.get("reason_code", ""), "")),
            community=communities_by_id.get(entry.data.get("community")),
        )
        for entry in page.object_list
    ]
    return render(request, "moderation/queue/log.html", {"page": page, "rows": rows})


# --- trusted flaggers -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def trusted_flaggers(request: HttpRequest) -> HttpResponse:
    """Site staff designate organisations as trusted flaggers (DSA art. 22) and revoke
    them; 403 for everyone else."""
    user = signed_in_user(request)
    check_manage_trusted_flaggers(user)
    active = TrustedFlagger.objects.filter(revoked_at__isnull=True)
    candidates = Organization.objects.exclude(pk__in=active.values("organization_id")).order_by(
        "name"
    )
    posted = request.method == "POST"
    which = request.POST.get("form", "") if posted else ""
    designate_form = DesignateForm(
        request.POST if which == "designate" else None, organizations=candidates
    )
    revoke_form = RevokeForm(request.POST if which == "revoke" else None)
    if which == "designate" and designate_form.is_valid():
        organization: Organization = designate_form.cleaned_data["organization"]
        actions.designate_trusted_flagger(
            actor=user, organization=organization, reason=designate_form.cleaned_data["reason"]
        )
        messages.success(
            request,
            pgettext("trusted flaggers", "%(organization)s is a trusted flagger now.")
            % {"organization": organization.name},
        )
        return redirect("moderation:queue_trusted_flaggers")
    if which == "revoke" and revoke_form.is_valid():
        revoked = Organization.objects.filter(slug=revoke_form.cleaned_data["organization"]).first()
        if revoked is None:
            raise Http404
        if actions.revoke_trusted_flagger(
            actor=user, organization=revoked, reason=revoke_form.cleaned_data["reason"]
        ):
            messages.success(
                request,
                pgettext("trusted flaggers", "%(organization)s is no longer a trusted flagger.")
                % {"organization": revoked.name},
            )
        return redirect("moderation:queue_trusted_flaggers")
    designations = TrustedFlagger.objects.select_related(
        "organization", "designated_by", "revoked_by"
    ).order_by("revoked_at", "-designated_at", "-id")
    return render(
        request,
        "moderation/queue/trusted_flaggers.html",
        {
            "active": [d for d in designations if d.revoked_at is None],
            "revoked": [d for d in designations if d.revoked_at is not None],
            "designate_form": designate_form,
            "revoke_form": revoke_form,
        },
        status=400 if posted else 200,
    )


urlpatterns: list[URLPattern] = [
    path("queue/appeals/", appeal_list, name="queue_appeals"),
    path("queue/appeals/<uuid:appeal_id>/", appeal_detail, name="queue_appeal"),
    path("queue/members/<str:handle>/", member_detail, name="queue_member"),
    path("queue/log/", log_page, name="queue_log"),
    path("queue/trusted-flaggers/", trusted_flaggers, name="queue_trusted_flaggers"),
]
