from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from patientvoice.accounts.models import User
from patientvoice.accounts.permissions import signed_in_user
from patientvoice.core.audit import client_ip
from patientvoice.core.models import ContentStatus
from patientvoice.core.publishing import PublishResult
from patientvoice.moderation.errors import MemberSanctioned, PostingTooFast
from patientvoice.moderation.permissions import check_posting_rate
from patientvoice.organizations.sponsorship_queries import funding_disclosures
from patientvoice.professionals import questions
from patientvoice.professionals.question_queries import (
    answered_label,
    field_label,
    unanswered_label,
)

from . import actions
from .forms import (
    AcceptGuidelinesForm,
    BestAnswerForm,
    MoveThreadForm,
    PostEditForm,
    ReactionForm,
    ReplyForm,
    ThreadForm,
    ThreadModerationForm,
)
from .models import (
    Community,
    CommunityGuidelines,
    JoinRequest,
    JoinRequestStatus,
    Post,
    Thread,
)
from .permissions import (
    Roles,
    ThreadLocked,
    access_community,
    access_post,
    access_thread,
    can_mark_best_answer,
    can_post_in,
    can_read_community,
    can_reply_to,
    check_delete_post,
    check_edit_post,
    check_moderate_thread,
    move_targets,
    viewer_roles,
    visible_communities,
    visible_posts,
)
from .queries import (
    THREAD_SORTS,
    community_threads,
    current_guidelines,
    first_unread_post,
    guidelines_to_accept,
    latest_in_my_communities,
    thread_for_page,
    thread_tags,
)
from .rendering import PostsPage, add_post_controls, posts_page
from .thread_page import head_key, remembered_page

THREADS_PER_PAGE = 25


def _post_url(user: Any, thread: Thread, post: Post) -> str:
    """The post's permanent place: its page of the thread and its anchor."""
    return f"{thread.get_absolute_url()}?page={post.page_number}#post-{post.public_id}"


def _htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request (django-htmx's middleware sets ``request.htmx``)."""
    return bool(getattr(request, "htmx", False))


@require_safe
def community_list(request: HttpRequest) -> HttpResponse:
    communities = visible_communities(
        request.user, Community.objects.select_related("organization")
    ).order_by("-member_count", "name")
    return render(request, "communities/community_list.html", {"communities": communities})


@require_safe
def community_detail(request: HttpRequest, slug: str) -> HttpResponse:
    community = access_community(request.user, slug)
    readable = can_read_community(request.user, community)
    page = None
    roles = viewer_roles(request.user, community)
    sort = request.GET.get("sort", "")
    if sort not in THREAD_SORTS:
        sort = THREAD_SORTS[0]
    if readable:
        page = Paginator(
            community_threads(request.user, community, sort), THREADS_PER_PAGE
        ).get_page(request.GET.get("page"))
    return render(
        request,
        "communities/community_detail.html",
        {
            "community": community,
            "funding": funding_disclosures(community),
            "conditions": list(community.conditions.all()),
            "readable": readable,
            # Members-only communities show outsiders their name, description and
            # teaser only; the guidelines come with the content.
            "guidelines": current_guidelines(community) if readable else None,
            "page": page,
            "sort": sort,
            "sorts": _sort_links(),
            "member": roles.member,
            "moderator": roles.moderator,
            "pending_requests": (
                JoinRequest.objects.filter(
                    community=community, status=JoinRequestStatus.PENDING
                ).count()
                if roles.moderator
                else 0
            ),
        },
    )


def _sort_links() -> list[tuple[str, str]]:
    return [
        ("activity", pgettext("thread sort", "Latest activity")),
        ("newest", pgettext("thread sort", "Newest")),
        ("unanswered", pgettext("thread sort", "Unanswered")),
    ]


def _announce(request: HttpRequest, result: PublishResult, *, panels_now: bool = False) -> None:
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
    if result.help_panels and not panels_now:
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
    community = access_community(request.user, slug)
    user = signed_in_user(request)
    if not can_post_in(user, community):
        messages.info(request, pgettext("community", "Join the community to write in it."))
        return redirect(community)
    form = ThreadForm(request.POST or None, community=community)
    # Asked already on the empty form: a first thread is where most people meet them.
    guidelines = guidelines_to_accept(user, community)
    step = _guidelines_step(request, guidelines)
    status = 400  # every POST that gets to the form again failed
    if request.method == "POST" and form.is_valid() and step["guidelines_accepted"]:
        try:
            check_posting_rate(user, client_ip(request))
            with transaction.atomic():
                if guidelines is not None:
                    actions.accept_guidelines(user=user, guidelines=guidelines)
                thread, result = actions.create_thread(
                    author=user,
                    community=community,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    language=get_language() or "sv",
                    conditions=form.cleaned_data["conditions"],
                    medicines=form.cleaned_data["medicines"],
                )
                if form.cleaned_data["ask_professionals"]:  # decisions/0037
                    questions.mark_question(
                        asker=user, thread=thread, field=form.cleaned_data["question_field"]
                    )
        except (PostingTooFast, MemberSanctioned) as refused:
            # Refused as it was sent: say why and keep what they wrote.
            form.add_error(None, str(refused.message))
            status = getattr(refused, "status", 403)
        else:
            _announce(request, result)
            return redirect(thread)
    return render(
        request,
        "communities/thread_create.html",
        {"community": community, "form": form, **step},
        status=status if request.method == "POST" else 200,
    )


def _quote(user: Any, thread: Thread, asked: str | None) -> Post | None:
    """The post a "Quote" or "Reply" link points at (``?quote=`` or ``?reply_to=``),
    if the viewer may read it and it is published. A quote starts the reply with the
    quoted Markdown as "> " lines after an attribution (``_quoted_text``). Anything else is
    ignored: a post the viewer may not read is never quoted nor named."""
    if not asked:
        return None
    try:
        post_id = UUID(asked)
    except ValueError:
        return None
    post = (
        visible_posts(user, Post.objects.filter(thread=thread, public_id=post_id))
        .select_related("author")
        .first()
    )
    if post is None or post.status != ContentStatus.PUBLISHED:
        return None
    return post


def _quoted_text(post: Post) -> str:
    handle = post.author.handle if post.author else pgettext("author", "former member")
    quoted = "\n".join(f"> {line}" if line else ">" for line in post.body.splitlines())
    return pgettext("quote", "%(handle)s wrote:") % {"handle": handle} + f"\n{quoted}\n\n"


def _posts_page(request: HttpRequest, thread: Thread, asked: str | None, roles: Roles) -> PostsPage:
    return posts_page(
        request.user, thread, asked, roles, can_post=can_reply_to(request.user, thread, roles)
    )


def _question(request: HttpRequest, thread: Thread) -> tuple[str, str, bool, bool] | None:
    """What the head shows of a question for professionals (decisions/0037), read with
    the thread (``queries.thread_for_page``): its label, its field, whether it is one,
    and whether the reader asked it (the link to change it). For the thread's author
    of a thread that is not a question: the link to ask."""
    field = getattr(thread, "pv_question_field", None)
    own = request.user.is_authenticated and thread.author_id == request.user.pk
    if field is None:
        return ("", "", False, True) if own else None
    profession = getattr(thread, "pv_answer_profession", "") or ""
    label = answered_label(profession) if profession else unanswered_label()
    return (label, field_label(field), True, own)


def _thread_context(
    request: HttpRequest, thread: Thread, page: PostsPage, roles: Roles, form: ReplyForm
) -> dict[str, Any]:
    best = thread.best_answer if thread.best_answer and thread.best_answer.is_published else None
    conditions, medicines = thread_tags(thread)
    read = getattr(thread, "read_position", None)
    unread_jump = read is not None and read < thread.last_published_position
    return {
        "thread": thread,
        "community": thread.community,
        # Built once: the template appends public ids (no {% url %} per post).
        "thread_url": thread.get_absolute_url(),
        "conditions": conditions,
        "medicines": medicines,
        "page": page,
        "form": form,
        "member": roles.member,
        "moderator": roles.moderator,
        "can_post": can_reply_to(request.user, thread, roles),
        "can_mark": can_mark_best_answer(request.user, thread, roles),
        "best_answer": best,
        "unread_jump": unread_jump,
        "funding": (funding := funding_disclosures(thread.community_id)),
        "question": (question := _question(request, thread)),
        "head_key": head_key(
            request, thread, conditions, medicines, best, unread_jump, (funding, question)
        ),
        "signed_in": request.user.is_authenticated,
        "help_panels": [],
    }


@require_safe
def thread_detail(request: HttpRequest, slug: str, thread_id: str) -> HttpResponse:
    user = request.user
    thread, roles = thread_for_page(user, slug, thread_id)
    # Read with the thread; the header shows it (thread_page.header_key, its template tag).
    request.header_unread = getattr(thread, "header_unread", None)  # type: ignore[attr-defined]
    page = _posts_page(request, thread, request.GET.get("page"), roles)
    replying_to = _quote(user, thread, request.GET.get("quote") or request.GET.get("reply_to"))
    initial: dict[str, Any] = {}
    if replying_to is not None:
        initial["reply_to"] = replying_to.public_id
        if request.GET.get("quote"):
            initial["body"] = _quoted_text(replying_to)

    def reply_form() -> ReplyForm:
        form = ReplyForm(initial=initial)
        form.replying_to = replying_to  # type: ignore[attr-defined]
        return form

    # Built only when the page around the posts is rendered, not when it is remembered.
    form = cast(ReplyForm, SimpleLazyObject(reply_form))
    if roles.member and page.object_list:
        actions.mark_read(
            user=signed_in_user(request),
            thread=thread,
            position=page.object_list[-1].position,
            known=thread.read_position,  # type: ignore[attr-defined]
        )
    context = _thread_context(request, thread, page, roles, form)
    context["help_panels"] = request.session.pop("pv_help_panels", []) if roles.member else []
    if _htmx(request) and request.GET.get("more"):
        return render(request, "communities/thread_detail.html#posts", context)
    return remembered_page(request, context, replying_to)


@require_safe
def post_permalink(request: HttpRequest, slug: str, thread_id: str, post_id: str) -> HttpResponse:
    """A post's permanent address: redirects to its page of the thread and anchor."""
    thread = access_thread(request.user, slug, thread_id)
    post = access_post(request.user, thread, post_id)
    return redirect(_post_url(request.user, thread, post))


@require_safe
def first_unread(request: HttpRequest, slug: str, thread_id: str) -> HttpResponse:
    """ "Jump to first unread": the first post after where the reader stopped, or the
    last page when everything is read (visitors go to the first page)."""
    thread = access_thread(request.user, slug, thread_id)
    if not request.user.is_authenticated:
        return redirect(thread)
    post = first_unread_post(request.user, thread)
    if post is None:
        return redirect(f"{thread.get_absolute_url()}?page=last")
    return redirect(_post_url(request.user, thread, post))


@login_required
@require_http_methods(["GET", "POST"])
def reply(request: HttpRequest, slug: str, thread_id: str) -> HttpResponse:
    thread, roles = thread_for_page(request.user, slug, thread_id)
    if request.method == "GET":
        # Reached after logging in again mid-reply (login's ?next=): go to the form.
        return redirect(f"{thread.get_absolute_url()}?page=last#reply")
    user = signed_in_user(request)
    if not roles.member:
        messages.info(request, pgettext("community", "Join the community to write in it."))
        return redirect(thread.community)
    form = ReplyForm(request.POST)
    replying_to = _quote(user, thread, request.POST.get("reply_to"))
    form.replying_to = replying_to  # type: ignore[attr-defined]
    if not can_reply_to(user, thread, roles):
        # Locked while they wrote: say so, and keep the text so it is not lost.
        return _refused(request, thread, roles, form, ThreadLocked.message, 403)
    # Asked only when a reply comes in, so the thread page costs no query for it.
    guidelines = guidelines_to_accept(user, thread.community)
    step = _guidelines_step(request, guidelines)
    if form.is_valid() and step["guidelines_accepted"]:
        try:
            check_posting_rate(user, client_ip(request))
            if guidelines is not None:
                actions.accept_guidelines(user=user, guidelines=guidelines)
            result = actions.reply_to_thread(
                author=user,
                thread=thread,
                body=form.cleaned_data["body"],
                language=get_language() or "sv",
                reply_to=replying_to,
            )
        except (PostingTooFast, MemberSanctioned) as refused:
            status = getattr(refused, "status", 403)
            return _refused(request, thread, roles, form, refused.message, status)
        # With a help panel to show, land on it: on a phone the new post is far below.
        anchor = "crisis-help" if result.help_panels else f"post-{result.content.public_id}"
        if _htmx(request):
            return _replied_with_htmx(request, thread, result, anchor)
        _announce(request, result)
        return redirect(f"{thread.get_absolute_url()}?page=last#{anchor}")
    page = _posts_page(request, thread, "last", roles)
    context = _thread_context(request, thread, page, roles, form)
    context.update(step)
    if _htmx(request):
        # htmx swaps 2xx answers only: the form with its errors comes back as 200.
        response = render(
            request, "communities/thread_detail.html", {**context, "htmx_messages": True}
        )
        response["HX-Reswap"] = "outerHTML show:#reply:top"
        return response
    return render(request, "communities/thread_detail.html", context, status=400)


def _refused(
    request: HttpRequest,
    thread: Thread,
    roles: Roles,
    form: ReplyForm,
    message: Any,
    status: int,
) -> HttpResponse:
    """The reply could not be posted (the thread was locked, the member is sanctioned or
    posts too fast): the last page with the reason above the form, and the text kept."""
    page = _posts_page(request, thread, "last", roles)
    context = _thread_context(request, thread, page, roles, form)
    context.update(can_post=True, refusal=message)
    if _htmx(request):  # htmx swaps 2xx answers only
        response = render(request, "communities/thread_detail.html", context)
        response["HX-Reswap"] = "outerHTML show:#refused:top"
        return response
    return render(request, "communities/thread_detail.html", context, status=status)


def _replied_with_htmx(
    request: HttpRequest, thread: Thread, result: PublishResult, anchor: str
) -> HttpResponse:
    """The reply form sent by htmx: answer the last page at once (the form empty, the
    new post and any message or help panel in place) instead of a redirect, and show
    the new post (or the help panel)."""
    _announce(request, result, panels_now=True)
    # Again: the new post moved the thread's last position and the reader's read state.
    thread, roles = thread_for_page(request.user, thread.community.slug, thread.public_id)
    page = _posts_page(request, thread, "last", roles)
    context = _thread_context(request, thread, page, roles, ReplyForm())
    context.update(htmx_messages=True, help_panels=result.help_panels)
    response = render(request, "communities/thread_detail.html", context)
    response["HX-Push-Url"] = f"{thread.get_absolute_url()}?page=last"
    response["HX-Reswap"] = f"outerHTML show:#{anchor}:top"
    return response


@login_required
@require_POST
def react(request: HttpRequest, slug: str, thread_id: str, post_id: str) -> HttpResponse:
    """The reaction buttons of a post (one form, a button per kind): turn the pressed
    kind on or off, then back to the post; with htmx, answer the buttons only."""
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
    if _htmx(request):
        post.refresh_from_db()
        post.reply_to = None
        add_post_controls(user, thread, [post])
        return render(
            request,
            "communities/thread_detail.html#reactions",
            {"post": post, "thread_url": thread.get_absolute_url()},
        )
    return redirect(_post_url(user, thread, post))


@login_required
@require_POST
def best_answer(request: HttpRequest, slug: str, thread_id: str) -> HttpResponse:
    """Mark a reply as the one that helped most (``post``), or take the mark away
    (no ``post``). For the thread's author and its moderators; 403 for other readers."""
    user = signed_in_user(request)
    thread = access_thread(user, slug, thread_id)
    form = BestAnswerForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    if form.cleaned_data["post"] is None:
        actions.unmark_best_answer(actor=user, thread=thread)
        messages.success(request, pgettext("best answer", "The mark was taken away."))
        return redirect(thread)
    post = access_post(user, thread, form.cleaned_data["post"])
    try:
        actions.mark_best_answer(actor=user, thread=thread, post=post)
    except ValueError:
        return HttpResponseBadRequest(
            pgettext("best answer", "Only a published reply can be marked as the best answer.")
        )
    messages.success(request, pgettext("best answer", "Marked as the reply that helped most."))
    return redirect(_post_url(user, thread, post))


@login_required
@require_POST
def thread_moderate(request: HttpRequest, slug: str, thread_id: str) -> HttpResponse:
    """Pin, unpin, lock or unlock (``action``). 403 for readers who do not moderate."""
    user = signed_in_user(request)
    thread = access_thread(user, slug, thread_id)
    check_moderate_thread(user, thread)
    form = ThreadModerationForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    action = form.cleaned_data["action"]
    if action in ("pin", "unpin"):
        actions.pin_thread(actor=user, thread=thread, pinned=action == "pin")
    else:
        actions.lock_thread(actor=user, thread=thread, locked=action == "lock")
    messages.success(request, ThreadModerationForm.DONE[action])
    return redirect(thread)


@login_required
@require_http_methods(["GET", "POST"])
def thread_move(request: HttpRequest, slug: str, thread_id: str) -> HttpResponse:
    """Move a thread to another community: those of the same organisation that the
    moderator moderates too (any, for site staff). 403 for readers who do not
    moderate it."""
    user = signed_in_user(request)
    thread = access_thread(user, slug, thread_id)
    check_moderate_thread(user, thread)
    targets = move_targets(user, thread).order_by("name")
    form = MoveThreadForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        actions.move_thread(actor=user, thread=thread, to=form.cleaned_data["community"])
        messages.success(request, pgettext("thread", "The discussion was moved."))
        return redirect(thread)
    return render(
        request,
        "communities/thread_move.html",
        {"thread": thread, "community": thread.community, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_safe
def latest(request: HttpRequest) -> HttpResponse:
    """The latest discussions in the communities the person belongs to."""
    user = signed_in_user(request)
    page = Paginator(latest_in_my_communities(user), THREADS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "communities/latest.html", {"page": page})


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
    status = 400  # every POST that gets to the form again failed
    if request.method == "POST" and form.is_valid():
        try:
            result = actions.edit_post(user=user, post=post, body=form.cleaned_data["body"])
        except MemberSanctioned as refused:
            form.add_error(None, str(refused.message))  # say why; keep the new text
            status = 403
        else:
            _announce(request, result)
            return redirect(_post_url(user, thread, post))
    return render(
        request,
        "communities/post_edit.html",
        {"thread": thread, "community": thread.community, "post": post, "form": form},
        status=status if request.method == "POST" else 200,
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
