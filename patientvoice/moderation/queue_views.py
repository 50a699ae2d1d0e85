"""The moderators' pages under ``/<language>/moderation/queue/``: the queue with bulk
decisions, a case with its reports, claims and the decision form ("decide and
next"), the appeals queue and an appeal's decision, a member's history with private
notes, the moderation log, and (site staff) the trusted flaggers.

Who: everyone who moderates anything now (``permissions.can_moderate_anything``:
site staff, community moderators and organisation staff, each after logging in with
two-step verification); 403 for other signed-in people, the login page for visitors.
Each list and item is read through the permissions functions (``visible_cases``,
``visible_appeals``, ``queries.member_history``...): a case outside the moderator's
communities is a 404, an appeal against their own decision a 403 with the reason
(``check_decide_appeal``). Every write is a moderation action; a ``ModerationError``
comes back on the form (400) with what was typed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import urlencode
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from patientvoice.accounts.handles import canonical_handle
from patientvoice.accounts.models import User
from patientvoice.accounts.permissions import signed_in_user
from patientvoice.communities.models import Community, Membership, MembershipRole, Post
from patientvoice.communities.permissions import is_site_staff, move_targets, visible_communities
from patientvoice.core.models import AuditEntry, Content, ContentStatus
from patientvoice.organizations.models import Organization, OrganizationStaff

from . import actions
from .actions.decisions import GENERAL_ACTIONS
from .errors import (
    AppealClosed,
    CaseClaimed,
    CaseClosed,
    ContentGone,
    InvalidDecision,
    ModerationError,
)
from .models import (
    PERSON_ACTIONS,
    Action,
    Appeal,
    Case,
    CaseStatus,
    Decision,
    ReasonCode,
    TrustedFlagger,
)
from .permissions import (
    can_moderate_anything,
    check_decide_appeal,
    check_manage_trusted_flaggers,
    visible_appeals,
    visible_cases,
)
from .queries import appeal_queue, case_reports, labels_for, member_history, queue
from .queue_forms import (
    AppealDecisionForm,
    AssignForm,
    BulkDecisionForm,
    DecisionForm,
    DesignateForm,
    NoteForm,
    RevokeForm,
)
from .registry import ModerationKind, kinds
from .registry import get as get_kind
from .templatetags.moderation import forget_open_count

CASES_PER_PAGE = 50
APPEALS_PER_PAGE = 50
LOG_PER_PAGE = 50
# ``?community=site``: the site-wide queue (profiles and other site-level items; staff).
SITE_QUEUE = "site"
# What the log shows of the dotted actions that are not decisions.
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


def _moderator(request: HttpRequest) -> User:
    """The signed-in person, when they moderate anything now; 403 otherwise (the 403
    page explains that roles work after logging in with two-step verification)."""
    user = signed_in_user(request)
    if not can_moderate_anything(user):
        raise PermissionDenied(
            pgettext(
                "moderation queue",
                "These pages are for moderators, after logging in with two-step verification.",
            )
        )
    return user


def _access_case(user: User, case_id: uuid.UUID) -> Case:
    """The case, when ``user`` may decide it; 404 otherwise (a case outside their
    communities must not be known)."""
    case = (
        visible_cases(user, Case.objects.filter(public_id=case_id))
        .select_related("community", "assignee", "author")
        .first()
    )
    if case is None:
        raise Http404
    return case


def _nouns() -> dict[str, Any]:
    return {registered.kind: registered.noun for registered in kinds()}


# --- the queue --------------------------------------------------------------------------


def _queue_communities(user: User) -> list[Community]:
    """The communities with open cases ``user`` may decide (the filter's choices)."""
    open_cases = visible_cases(user, Case.objects.filter(status=CaseStatus.OPEN))
    return list(
        visible_communities(
            user, Community.objects.filter(pk__in=open_cases.order_by().values("community_id"))
        ).order_by("name")
    )


def _render_queue(
    request: HttpRequest, user: User, *, bulk_form: BulkDecisionForm, status: int = 200
) -> HttpResponse:
    staff = is_site_staff(user)
    chosen = request.GET.get("community", "")
    communities = _queue_communities(user)
    community = next((c for c in communities if c.slug == chosen), None)
    if community is not None:
        cases = queue(user, community)
    elif staff and chosen == SITE_QUEUE:
        cases = queue(user, site_only=True)
    elif chosen:
        cases = queue(user).none()  # nothing waiting there for this person
    else:
        cases = queue(user)
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "moderation/queue/queue.html",
        {
            "page": page,
            "communities": communities,
            "chosen": chosen,
            "site_queue": SITE_QUEUE if staff else "",
            "nouns": _nouns(),
            "bulk_form": bulk_form,
            "ticked": {str(i) for i in request.POST.getlist("cases")},
            "community_query": urlencode({"community": chosen}) if chosen else "",
        },
        status=status,
    )


@login_required
@require_safe
def queue_page(request: HttpRequest) -> HttpResponse:
    """The open cases in queue order (urgent, severity, trusted flaggers, oldest),
    narrowed to one community with ``?community=<slug>`` (staff: ``site``)."""
    user = _moderator(request)
    return _render_queue(request, user, bulk_form=BulkDecisionForm())


@dataclass
class BulkResult:
    case_id: uuid.UUID
    case: Case | None
    done: bool
    message: str


@login_required
@require_POST
def bulk_decide(request: HttpRequest) -> HttpResponse:
    """One decision (keep, hide or remove, with a ground and an explanation) applied to
    each ticked case through ``actions.decide``, each on its own: one that fails (decided
    meanwhile, content gone) does not stop the others; the page says which succeeded."""
    user = _moderator(request)
    form = BulkDecisionForm(request.POST)
    if not form.is_valid():
        return _render_queue(request, user, bulk_form=form, status=400)
    ids: list[uuid.UUID] = form.cleaned_data["cases"]
    found = {
        case.public_id: case
        for case in visible_cases(user, Case.objects.filter(public_id__in=ids)).select_related(
            "community"
        )
    }
    action = form.cleaned_data["action"]
    results: list[BulkResult] = []
    for case_id in ids:
        case = found.get(case_id)
        if case is None:
            results.append(
                BulkResult(
                    case_id,
                    None,
                    False,
                    pgettext("moderation queue", "Not found among the items you may decide."),
                )
            )
            continue
        if case.urgent:
            # A risk of self-harm is looked at on its own, never in a batch.
            message = pgettext("moderation queue", "Urgent items are decided one at a time.")
            results.append(BulkResult(case_id, case, False, message))
            continue
        try:
            actions.decide(
                moderator=user,
                case=case,
                action=action,
                reason_code=form.cleaned_data["reason_code"],
                explanation=form.cleaned_data["explanation"],
            )
        except (ModerationError, PermissionDenied) as error:
            message = str(error) or pgettext("moderation queue", "You may not decide this item.")
            results.append(BulkResult(case_id, case, False, message))
        else:
            results.append(BulkResult(case_id, case, True, str(Action(action).label)))
    forget_open_count(user)
    return render(
        request,
        "moderation/queue/bulk_done.html",
        {
            "results": results,
            "done": sum(1 for r in results if r.done),
            "failed": sum(1 for r in results if not r.done),
            "nouns": _nouns(),
            "community_query": request.GET.urlencode(),
        },
    )


# --- a case -----------------------------------------------------------------------------


def _original_text(obj: Any) -> str:
    """The text a redaction starts from: the Markdown of content, a profile's text."""
    if isinstance(obj, Content):
        return obj.body
    return str(getattr(obj, "bio", "") or "")


def _decision_form(
    user: User,
    case: Case,
    registered: ModerationKind,
    obj: Any,
    data: Any = None,
) -> DecisionForm:
    offered: set[str] = set(GENERAL_ACTIONS)
    if obj is not None:
        offered |= registered.actions
    offered.discard(Action.MERGE)  # not built yet (decisions/0028)
    status = getattr(obj, "status", None)
    if status not in (ContentStatus.HIDDEN, ContentStatus.REMOVED):
        offered.discard(Action.RESTORE)
    author = registered.author_of(obj) if obj is not None else case.author
    if author is None:
        offered -= PERSON_ACTIONS
    targets = None
    if isinstance(obj, Post) and Action.MOVE in offered:
        targets = move_targets(user, obj.thread).order_by("name")
        if not targets.exists():
            offered.discard(Action.MOVE)  # nowhere this moderator may move it
            targets = None
    return DecisionForm(
        data,
        actions=sorted(offered),
        move_targets=targets,
        site_wide=is_site_staff(user),
        initial={"text": _original_text(obj)},
    )


def _assignable(user: User, case: Case) -> QuerySet[User]:
    """Who else may decide ``case``, to give it to: the community's moderators and the
    hosting organisation's staff (site staff for the site queue), each with a second
    factor. ``actions.assign`` checks again."""
    second_factor = Authenticator.objects.filter(
        user_id=OuterRef("pk"),
        type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN],
    )
    people = User.objects.filter(is_active=True).filter(Exists(second_factor))
    if case.community is None:
        people = people.filter(is_staff=True)
    else:
        role = Q(
            Exists(
                Membership.objects.filter(
                    user_id=OuterRef("pk"),
                    community=case.community,
                    role=MembershipRole.MODERATOR,
                )
            )
        )
        if case.community.organization_id is not None:
            role |= Q(
                Exists(
                    OrganizationStaff.objects.filter(
                        user_id=OuterRef("pk"), organization_id=case.community.organization_id
                    )
                )
            )
        people = people.filter(role)
    return people.exclude(pk=user.pk).order_by("handle_canonical")


def _render_case(
    request: HttpRequest,
    user: User,
    case: Case,
    *,
    form: DecisionForm | None = None,
    assign_form: AssignForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    registered = get_kind(case.kind)
    obj = registered.fetch(case.object_id)
    if form is None:
        form = _decision_form(user, case, registered, obj)
    if assign_form is None:
        assign_form = AssignForm(candidates=_assignable(user, case))
    same_item = visible_cases(user, Case.objects.filter(kind=case.kind, object_id=case.object_id))
    decisions = (
        Decision.objects.filter(case__in=same_item)
        .select_related("moderator", "case", "statement__appeal")
        .order_by("-created_at", "-id")
    )
    staff = is_site_staff(user)
    return render(
        request,
        "moderation/queue/case_detail.html",
        {
            "case": case,
            "noun": registered.noun,
            "content": obj,
            "current_excerpt": registered.excerpt_of(obj) if obj is not None else "",
            "content_status": obj.get_status_display() if isinstance(obj, Content) else "",
            "content_deleted": getattr(obj, "deleted_at", None) is not None,
            "labels": labels_for(case.kind, [case.object_id]).get(case.object_id, []),
            "reports": list(case_reports(user, case)),
            "show_reporters": staff,
            "decisions": list(decisions),
            "form": form,
            "field_actions": DecisionForm.FIELD_ACTIONS,
            "assign_form": assign_form,
            "error": error,
            "community_filter": request.GET.get("community", "")
            or request.POST.get("community", ""),
        },
        status=status,
    )


def _case_url(case: Case, community: str = "") -> str:
    url = reverse("moderation:queue_case", kwargs={"case_id": case.public_id})
    return f"{url}?{urlencode({'community': community})}" if community else url


def _next_case(user: User, decided: Case, community: str) -> Case | None:
    """The next item of the queue (with the same community filter) that nobody else
    has claimed, or None."""
    cases = queue(user).exclude(pk=decided.pk).filter(Q(assignee__isnull=True) | Q(assignee=user))
    if community == SITE_QUEUE:
        cases = cases.filter(community__isnull=True)
    elif community:
        cases = cases.filter(community__slug=community)
    return cases.first()


def _queue_url(community: str) -> str:
    url = reverse("moderation:queue")
    return f"{url}?{urlencode({'community': community})}" if community else url


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """The case and its decision form. A decision goes to the next item ("decide and
    next"); what the backend refuses comes back (400) with everything typed."""
    user = _moderator(request)
    case = _access_case(user, case_id)
    if request.method != "POST":
        return _render_case(request, user, case)
    registered = get_kind(case.kind)
    form = _decision_form(user, case, registered, registered.fetch(case.object_id), request.POST)
    if form.is_valid():
        try:
            decision = actions.decide(moderator=user, case=case, **form.decision_arguments())
        except (InvalidDecision, CaseClosed, CaseClaimed, ContentGone) as error:
            form.add_error(None, str(error))
        else:
            forget_open_count(user)
            community = request.POST.get("community", "")
            following = _next_case(user, case, community)
            done = {"action": decision.get_action_display()}
            if following is None:
                messages.success(
                    request,
                    pgettext("moderation case", "Decided: %(action)s. Nothing else is waiting.")
                    % done,
                )
                return redirect(_queue_url(community))
            messages.success(
                request,
                pgettext("moderation case", "Decided: %(action)s. Here is the next item.") % done,
            )
            return redirect(_case_url(following, community))
    return _render_case(request, user, case, form=form, status=400)


@login_required
@require_POST
def case_claim(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = _moderator(request)
    case = _access_case(user, case_id)
    try:
        actions.claim(moderator=user, case=case)
    except (CaseClaimed, CaseClosed) as error:
        return _render_case(request, user, case, error=str(error), status=400)
    forget_open_count(user)
    messages.success(
        request, pgettext("moderation case", "You have taken this item. Others see it is yours.")
    )
    return redirect(_case_url(case, request.POST.get("community", "")))


@login_required
@require_POST
def case_release(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = _moderator(request)
    case = _access_case(user, case_id)
    try:
        actions.release(moderator=user, case=case)
    except CaseClosed as error:
        return _render_case(request, user, case, error=str(error), status=400)
    messages.success(
        request, pgettext("moderation case", "The item is back in the queue for anyone.")
    )
    return redirect(_case_url(case, request.POST.get("community", "")))


@login_required
@require_POST
def case_assign(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = _moderator(request)
    case = _access_case(user, case_id)
    form = AssignForm(request.POST, candidates=_assignable(user, case))
    if form.is_valid():
        to: User = form.cleaned_data["to"]
        try:
            actions.assign(moderator=user, case=case, to=to)
        except CaseClosed as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                pgettext("moderation case", "The item is now %(handle)s's.")
                % {"handle": to.handle},
            )
            return redirect(_case_url(case, request.POST.get("community", "")))
    return _render_case(request, user, case, assign_form=form, status=400)


# --- appeals ----------------------------------------------------------------------------


@login_required
@require_safe
def appeal_list(request: HttpRequest) -> HttpResponse:
    """Open appeals on cases the moderator may decide, except those against their own
    decisions (another moderator decides those: DSA art. 20(6)); oldest first."""
    user = _moderator(request)
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
    user = _moderator(request)
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
    user = _moderator(request)
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
            "nouns": _nouns(),
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
    user = _moderator(request)
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
    path("queue/", queue_page, name="queue"),
    path("queue/bulk/", bulk_decide, name="queue_bulk"),
    path("queue/appeals/", appeal_list, name="queue_appeals"),
    path("queue/appeals/<uuid:appeal_id>/", appeal_detail, name="queue_appeal"),
    path("queue/members/<str:handle>/", member_detail, name="queue_member"),
    path("queue/log/", log_page, name="queue_log"),
    path("queue/trusted-flaggers/", trusted_flaggers, name="queue_trusted_flaggers"),
    path("queue/<uuid:case_id>/", case_detail, name="queue_case"),
    path("queue/<uuid:case_id>/claim/", case_claim, name="queue_claim"),
    path("queue/<uuid:case_id>/release/", case_release, name="queue_release"),
    path("queue/<uuid:case_id>/assign/", case_assign, name="queue_assign"),
]
