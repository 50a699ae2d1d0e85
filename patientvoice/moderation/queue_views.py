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
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from patientvoice.accounts.models import User
from patientvoice.accounts.permissions import signed_in_user
from patientvoice.communities.models import Community, Membership, MembershipRole, Post
from patientvoice.communities.permissions import is_site_staff, move_targets, visible_communities
from patientvoice.core.models import Content, ContentStatus
from patientvoice.organizations.models import OrganizationStaff
from patientvoice.safety import actions as safety_actions

from . import actions
from .actions.decisions import GENERAL_ACTIONS
from .errors import (
    CaseClaimed,
    CaseClosed,
    ContentGone,
    InvalidDecision,
    ModerationError,
)
from .models import (
    PERSON_ACTIONS,
    Action,
    Case,
    CaseStatus,
    Decision,
)
from .permissions import (
    can_moderate_anything,
    visible_cases,
)
from .queries import case_reports, labels_for, queue
from .queue_forms import (
    AssignForm,
    BulkDecisionForm,
    DecisionForm,
)
from .registry import ModerationKind, case_panels, kinds
from .registry import get as get_kind
from .templatetags.moderation import forget_open_count

CASES_PER_PAGE = 50
# ``?community=site``: the site-wide queue (profiles and other site-level items; staff).
SITE_QUEUE = "site"
# What the log shows of the dotted actions that are not decisions.


def acting_moderator(request: HttpRequest) -> User:
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


def kind_nouns() -> dict[str, Any]:
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
            "nouns": kind_nouns(),
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
    user = acting_moderator(request)
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
    user = acting_moderator(request)
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
            "nouns": kind_nouns(),
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
    if case.community is None and case.organization_id is not None:
        # A campaign's submission: the running organisation's staff with powers.
        people = people.filter(
            Q(is_staff=True)
            | Q(
                Exists(
                    OrganizationStaff.objects.with_powers().filter(
                        user_id=OuterRef("pk"), organization_id=case.organization_id
                    )
                )
            )
        )
    elif case.community is None:
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
    # A moderator now sees held content: Day 0 of its safety signals (decisions/0036).
    safety_actions.record_staff_sight(content=obj)
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
            "panels": case_panels(user, case),
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
        cases = cases.filter(community__isnull=True, organization__isnull=True)
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
    user = acting_moderator(request)
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
    user = acting_moderator(request)
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
    user = acting_moderator(request)
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
    user = acting_moderator(request)
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


urlpatterns: list[URLPattern] = [
    path("queue/", queue_page, name="queue"),
    path("queue/bulk/", bulk_decide, name="queue_bulk"),
    path("queue/<uuid:case_id>/", case_detail, name="queue_case"),
    path("queue/<uuid:case_id>/claim/", case_claim, name="queue_claim"),
    path("queue/<uuid:case_id>/release/", case_release, name="queue_release"),
    path("queue/<uuid:case_id>/assign/", case_assign, name="queue_assign"),
]
