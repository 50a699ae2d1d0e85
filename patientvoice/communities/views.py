from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from patientvoice.accounts.models import User
from patientvoice.accounts.permissions import signed_in_user, visible_users
from patientvoice.core.publishing import PublishResult

from . import actions
from .forms import (
    AcceptGuidelinesForm,
    JoinRequestDecisionForm,
    JoinRequestForm,
    PostEditForm,
    ReactionForm,
    ReplyForm,
    ThreadForm,
)
from .models import (
    REACTION_COUNT_FIELDS,
    Community,
    CommunityGuidelines,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipRole,
    Post,
    ReactionKind,
    Thread,
    Visibility,
)
from .permissions import (
    access_post,
    access_thread,
    can_delete_post,
    can_edit_post,
    can_moderate_community,
    can_post_in,
    can_read_community,
    check_community_exists_for,
    check_delete_post,
    check_edit_post,
    check_moderate_community,
    check_see_members,
    is_member,
    is_site_staff,
    visible_communities,
)
from .queries import (
    community_threads,
    current_guidelines,
    guidelines_to_accept,
    own_reactions,
    thread_entries,
)

THREADS_PER_PAGE = 25
MEMBERS_PER_PAGE = 50
POSTS_PER_PAGE = 50


def _posts_page(user: Any, thread: Thread, number: str | None) -> Page[Any]:
    """A page of the thread's posts; ``"last"`` is the last page (where a new reply is)."""
    paginator = Paginator(thread_entries(user, thread), POSTS_PER_PAGE)
    page = paginator.get_page(paginator.num_pages if number == "last" else number)
    posts: list[Post] = list(page.object_list)
    page.object_list = posts
    _add_post_controls(user, posts)
    return page


def _add_post_controls(user: Any, posts: list[Post]) -> None:
    """Give each post on the page what its template needs to show: the reaction
    buttons (count, and whether the viewer pressed it; the viewer's own reactions come
    in one query for the page) and whether the viewer may edit or delete it."""
    given = own_reactions(user, posts)
    signed_in = bool(getattr(user, "is_authenticated", False))
    for post in posts:
        mine = given.get(post.pk, set())
        post.reaction_buttons = [  # type: ignore[attr-defined]
            {
                "kind": kind,
                "label": label,
                "count": getattr(post, REACTION_COUNT_FIELDS[kind]),
                "pressed": kind in mine,
            }
            for kind, label in ReactionKind.choices
        ]
        post.can_react = signed_in and post.is_published  # type: ignore[attr-defined]
        post.can_edit = can_edit_post(user, post)  # type: ignore[attr-defined]
        post.can_delete = can_delete_post(user, post)  # type: ignore[attr-defined]


def _post_url(user: Any, thread: Thread, post: Post) -> str:
    """The post's permanent place: its page of the thread and its anchor."""
    before = (
        thread_entries(user, thread)
        .filter(Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, id__lt=post.pk))
        .count()
    )
    page = before // POSTS_PER_PAGE + 1
    return f"{thread.get_absolute_url()}?page={page}#post-{post.public_id}"


def _community(request: HttpRequest, slug: str) -> Community:
    community = get_object_or_404(Community.objects.select_related("organization"), slug=slug)
    check_community_exists_for(request.user, community)
    return community


@require_safe
def community_list(request: HttpRequest) -> HttpResponse:
    communities = visible_communities(
        request.user, Community.objects.select_related("organization")
    ).order_by("-member_count", "name")
    return render(request, "communities/community_list.html", {"communities": communities})


@require_safe
def community_detail(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(request, slug)
    readable = can_read_community(request.user, community)
    page = None
    member = is_member(request.user, community)
    # Only members, the hosting organisation's staff and site staff can moderate: skip
    # the query for everyone else.
    may_moderate = member or community.organization_id is not None or is_site_staff(request.user)
    moderator = may_moderate and can_moderate_community(request.user, community)
    if readable:
        page = Paginator(community_threads(request.user, community), THREADS_PER_PAGE).get_page(
            request.GET.get("page")
        )
    return render(
        request,
        "communities/community_detail.html",
        {
            "community": community,
            "conditions": list(community.conditions.all()),
            "readable": readable,
            # Members-only communities show outsiders their name, description and
            # teaser only; the guidelines come with the content.
            "guidelines": current_guidelines(community) if readable else None,
            "page": page,
            "member": member,
            "moderator": moderator,
            "pending_requests": (
                JoinRequest.objects.filter(
                    community=community, status=JoinRequestStatus.PENDING
                ).count()
                if moderator
                else 0
            ),
        },
    )


@login_required
@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(request, slug)
    user = signed_in_user(request)
    if community.visibility == Visibility.PRIVATE and not is_member(user, community):
        raise Http404
    actions.join_community(user=user, community=community)
    messages.success(request, pgettext("community", "You are now a member."))
    return redirect(community)


def _askable_community(request: HttpRequest, slug: str) -> Community:
    """The community a person may ask (or, when it is not private, answer questions)
    to join. A private community is reached by its slug alone, without being visible:
    only while it accepts requests (decisions/0020); 404 otherwise."""
    community = get_object_or_404(Community, slug=slug)
    if community.visibility == Visibility.PRIVATE:
        if not community.accepts_requests and not is_member(request.user, community):
            raise Http404
    else:
        check_community_exists_for(request.user, community)
    return community


@login_required
@require_http_methods(["GET", "POST"])
def ask_to_join(request: HttpRequest, slug: str) -> HttpResponse:
    """The join questions and the answer form. For a private community this page shows
    its name and questions only (never its description or threads) and the answer goes
    to its moderators; for any other the answer is optional and joining is immediate."""
    community = _askable_community(request, slug)
    user = signed_in_user(request)
    if is_member(user, community):
        return redirect(community)
    pending = JoinRequest.objects.filter(
        community=community, user=user, status=JoinRequestStatus.PENDING
    ).first()
    form = JoinRequestForm(
        request.POST or None,
        answer_required=community.requires_approval and bool(community.join_questions),
        initial={"answer": pending.answer if pending else ""},
    )
    if request.method == "POST" and form.is_valid():
        if not community.requires_approval:
            actions.join_community(user=user, community=community)
            messages.success(request, pgettext("community", "You are now a member."))
            return redirect(community)
        actions.request_to_join(user=user, community=community, answer=form.cleaned_data["answer"])
        messages.success(
            request,
            pgettext("join request", "Your request was sent. A moderator will look at it."),
        )
        return redirect("communities:ask", slug=community.slug)
    return render(
        request,
        "communities/ask_to_join.html",
        {"community": community, "form": form, "pending": pending},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def join_requests(request: HttpRequest, slug: str) -> HttpResponse:
    """Pending requests to join, for the community's moderators; 404 for anyone else."""
    community = get_object_or_404(Community, slug=slug)
    user = signed_in_user(request)
    check_moderate_community(user, community)
    pending = JoinRequest.objects.filter(
        community=community, status=JoinRequestStatus.PENDING
    ).select_related("user")
    if request.method == "POST":
        form = JoinRequestDecisionForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest()
        join_request = get_object_or_404(pending, pk=form.cleaned_data["request"])
        join_request.community = community
        if form.cleaned_data["decision"] == "approve":
            actions.approve_join_request(actor=user, join_request=join_request)
            messages.success(request, pgettext("join request", "Approved: they are a member now."))
        else:
            actions.decline_join_request(actor=user, join_request=join_request)
            messages.success(request, pgettext("join request", "Declined."))
        return redirect("communities:join_requests", slug=community.slug)
    return render(
        request,
        "communities/join_requests.html",
        {"community": community, "join_requests": list(pending)},
    )


@login_required
@require_safe
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The members, for members (and acting site staff) only. Each person is listed
    only if their profile's audience lets the viewer see it (accounts.visible_users)."""
    community = _community(request, slug)
    check_see_members(request.user, community)
    listed = visible_users(request.user, User.objects.all()).values("pk")
    memberships = (
        Membership.objects.filter(community=community, user__in=listed)
        .select_related("user")
        .order_by("-role", "user__handle")
    )
    page = Paginator(memberships, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "communities/member_list.html",
        {"community": community, "page": page, "moderator_role": MembershipRole.MODERATOR},
    )


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(request, slug)
    user = signed_in_user(request)
    actions.leave_community(user=user, community=community)
    messages.success(request, pgettext("community", "You have left the community."))
    if community.visibility == Visibility.PRIVATE and not is_site_staff(user):
        return redirect("communities:list")  # its page is a 404 for them now
    return redirect(community)


def _announce(request: HttpRequest, result: PublishResult) -> None:
    if result.held:
        messages.warning(
            request,
            pgettext(
                "post", "Your text is saved but waits for a moderator before others can see it."
            ),
        )
        for message in result.hold_messages:
            messages.warning(request, message)
    else:
        messages.success(request, pgettext("post", "Published."))
    if result.help_panels:
        request.session["pv_help_panels"] = result.help_panels


def _guidelines_step(
    request: HttpRequest, guidelines: CommunityGuidelines | None
) -> dict[str, Any]:
    """What the post form needs to ask for ``guidelines`` (the current version, when the
    person has not accepted it; None otherwise), for its template context.

    The box is bound only when the person was shown this very version: the first time
    they see it, or when a newer version came out while they wrote, they read it first
    and an unticked box is not an error yet."""
    if guidelines is None:
        return {"guidelines": None, "guidelines_form": None, "guidelines_accepted": True}
    shown = request.POST.get("guidelines_version") if request.method == "POST" else None
    if shown == str(guidelines.version):
        form = AcceptGuidelinesForm(request.POST)
    else:
        form = AcceptGuidelinesForm(initial={"guidelines_version": guidelines.version})
    return {
        "guidelines": guidelines,
        "guidelines_form": form,
        "guidelines_changed": shown is not None and shown != str(guidelines.version),
        "guidelines_accepted": form.is_valid(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def thread_create(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(request, slug)
    user = signed_in_user(request)
    if not can_post_in(user, community):
        messages.info(request, pgettext("community", "Join the community to write in it."))
        return redirect(community)
    form = ThreadForm(request.POST or None, community=community)
    # Asked already on the empty form: a first thread is where most people meet them.
    guidelines = guidelines_to_accept(user, community)
    step = _guidelines_step(request, guidelines)
    if request.method == "POST" and form.is_valid() and step["guidelines_accepted"]:
        if guidelines is not None:
            actions.accept_guidelines(user=user, guidelines=guidelines)
        thread, result = actions.create_thread(
            author=user,
            community=community,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            language=get_language() or "sv",
            conditions=form.cleaned_data["conditions"],
        )
        _announce(request, result)
        return redirect(thread)
    return render(
        request,
        "communities/thread_create.html",
        {"community": community, "form": form, **step},
        # Every POST that gets here failed: invalid text or guidelines not accepted.
        status=400 if request.method == "POST" else 200,
    )


@require_safe
def thread_detail(request: HttpRequest, slug: str, thread_id: str) -> HttpResponse:
    thread = access_thread(request.user, slug, thread_id)
    page = _posts_page(request.user, thread, request.GET.get("page"))
    help_panels = request.session.pop("pv_help_panels", [])
    return render(
        request,
        "communities/thread_detail.html",
        {
            "thread": thread,
            "community": thread.community,
            "conditions": list(thread.conditions.all()),
            "page": page,
            "form": ReplyForm(),
            "can_post": can_post_in(request.user, thread.community),
            "help_panels": help_panels,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reply(request: HttpRequest, slug: str, thread_id: str) -> HttpResponse:
    thread = access_thread(request.user, slug, thread_id)
    if request.method == "GET":
        # Reached after logging in again mid-reply (login's ?next=): go to the form.
        return redirect(f"{thread.get_absolute_url()}?page=last#reply")
    user = signed_in_user(request)
    if not can_post_in(user, thread.community):
        messages.info(request, pgettext("community", "Join the community to write in it."))
        return redirect(thread.community)
    form = ReplyForm(request.POST)
    # Asked only when a reply comes in, so the thread page costs no query for it.
    guidelines = guidelines_to_accept(user, thread.community)
    step = _guidelines_step(request, guidelines)
    if form.is_valid() and step["guidelines_accepted"]:
        if guidelines is not None:
            actions.accept_guidelines(user=user, guidelines=guidelines)
        result = actions.reply_to_thread(
            author=user,
            thread=thread,
            body=form.cleaned_data["body"],
            language=get_language() or "sv",
        )
        _announce(request, result)
        # With a help panel to show, land on it: on a phone the new post is far below.
        anchor = "crisis-help" if result.help_panels else f"post-{result.content.public_id}"
        return redirect(f"{thread.get_absolute_url()}?page=last#{anchor}")
    page = _posts_page(user, thread, "last")
    return render(
        request,
        "communities/thread_detail.html",
        {
            "thread": thread,
            "community": thread.community,
            "conditions": list(thread.conditions.all()),
            "page": page,
            "form": form,
            "can_post": True,
            "help_panels": [],
            **step,
        },
        status=400,
    )


@login_required
@require_POST
def react(request: HttpRequest, slug: str, thread_id: str, post_id: str) -> HttpResponse:
    """A reaction button: turn one kind of reaction on or off, then back to the post."""
    user = signed_in_user(request)
    thread = access_thread(user, slug, thread_id)
    post = access_post(user, thread, post_id)
    form = ReactionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    if form.cleaned_data["pressed"]:
        actions.react(user=user, post=post, kind=form.cleaned_data["kind"])
    else:
        actions.unreact(user=user, post=post, kind=form.cleaned_data["kind"])
    return redirect(_post_url(user, thread, post))


def _own_post(
    request: HttpRequest, slug: str, thread_id: str, post_id: str
) -> tuple[User, Thread, Post]:
    user = signed_in_user(request)
    thread = access_thread(user, slug, thread_id)
    return user, thread, access_post(user, thread, post_id)


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, slug: str, thread_id: str, post_id: str) -> HttpResponse:
    user, thread, post = _own_post(request, slug, thread_id, post_id)
    check_edit_post(user, post)
    form = PostEditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        result = actions.edit_post(user=user, post=post, body=form.cleaned_data["body"])
        _announce(request, result)
        return redirect(_post_url(user, thread, post))
    return render(
        request,
        "communities/post_edit.html",
        {"thread": thread, "community": thread.community, "post": post, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_delete(request: HttpRequest, slug: str, thread_id: str, post_id: str) -> HttpResponse:
    """GET asks for confirmation (works without JavaScript); POST deletes."""
    user, thread, post = _own_post(request, slug, thread_id, post_id)
    check_delete_post(user, post)
    if request.method == "POST":
        url = _post_url(user, thread, post)
        actions.delete_post(user=user, post=post)
        messages.success(request, pgettext("post", "Your post was deleted."))
        if not thread.is_published:
            return redirect(thread.community)  # the thread went with its only post
        return redirect(url)
    return render(
        request,
        "communities/post_delete.html",
        {"thread": thread, "community": thread.community, "post": post},
    )
