"""Communities, membership, threads, posts, reactions and best answers: the pages'
rules, through the same actions, permissions and queries (nothing decided here)."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language, pgettext
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from patientvoice.accounts.models import User
from patientvoice.accounts.permissions import signed_in_user
from patientvoice.communities import actions
from patientvoice.communities.models import (
    Community,
    JoinRequest,
    Post,
    ReactionKind,
    Thread,
    Visibility,
)
from patientvoice.communities.permissions import (
    ThreadLocked,
    access_community,
    access_post,
    access_thread,
    can_post_in,
    check_community_exists_for,
    check_moderate_thread,
    is_member,
    visible_communities,
    visible_threads,
)
from patientvoice.communities.queries import (
    THREAD_SORTS,
    guidelines_to_accept,
    sorted_threads,
    thread_posts,
)
from patientvoice.core.audit import client_ip
from patientvoice.core.publishing import PublishResult
from patientvoice.directory.models import Condition, Medicine
from patientvoice.moderation.errors import PostingTooFast
from patientvoice.moderation.permissions import check_posting_rate

from ..auth import optional_auth, token_or_session
from ..errors import ApiError
from ..pagination import BoundedLimitOffsetPagination
from ..schemas import SLUG, ErrorOut, InputSchema

router = Router(tags=["communities"])
WRITE_ERRORS: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
}


class CommunityOut(Schema):
    slug: str
    name: str
    description: str
    visibility: str
    member_count: int
    thread_count: int


class MembershipOut(Schema):
    community: str
    member: bool
    request_pending: bool = False


class JoinRequestIn(InputSchema):
    answer: str = Field("", max_length=JoinRequest.MAX_ANSWER_LENGTH)


class ThreadOut(Schema):
    public_id: UUID
    title: str
    author: str | None
    post_count: int
    last_post_at: datetime | None
    created_at: datetime
    is_pinned: bool
    is_locked: bool
    best_answer: UUID | None
    conditions: list[str] = Field(description="Slugs of the conditions it is tagged with.")
    medicines: list[str] = Field(description="Slugs of the medicines it is tagged with.")

    @staticmethod
    def resolve_author(obj: Thread) -> str | None:
        return obj.author.handle if obj.author else None

    @staticmethod
    def resolve_conditions(obj: Thread) -> list[str]:
        return sorted(c.slug for c in obj.conditions.all())

    @staticmethod
    def resolve_medicines(obj: Thread) -> list[str]:
        # An inactive medicine is no longer offered (its page answers 404).
        return sorted(m.slug for m in obj.medicines.all() if m.is_active)

    @staticmethod
    def resolve_best_answer(obj: Thread) -> UUID | None:
        best = obj.best_answer
        return best.public_id if best is not None and best.is_published else None


class ThreadFilters(Schema):
    sort: str = Field(
        "activity", description="activity (default), newest or unanswered; pinned first."
    )


class GuidelinesMixin(InputSchema):
    accept_guidelines: int | None = Field(
        None,
        description="The version of the community's guidelines you accept, when you have "
        "not accepted the current one (403 guidelines_not_accepted tells you which).",
    )


class ThreadIn(GuidelinesMixin):
    title: str = Field(..., min_length=4, max_length=160)
    body: str = Field(..., min_length=2, max_length=Post.MAX_BODY_LENGTH)
    conditions: list[str] = Field(default_factory=list, max_length=20)
    medicines: list[str] = Field(default_factory=list, max_length=Thread.MAX_MEDICINES)


class ThreadPatch(InputSchema):
    is_pinned: bool | None = None
    is_locked: bool | None = None
    community: str | None = Field(None, description="Move the thread to this community (slug).")


class PostOut(Schema):
    public_id: UUID
    position: int
    author: str | None
    body_html: str
    language: str
    status: str
    published_at: datetime | None
    edited_at: datetime | None
    reply_to: UUID | None
    helpful_count: int
    hug_count: int
    me_too_count: int

    @staticmethod
    def resolve_author(obj: Post) -> str | None:
        return obj.author.handle if obj.author else None

    @staticmethod
    def resolve_reply_to(obj: Post) -> UUID | None:
        return obj.reply_to.public_id if obj.reply_to is not None else None


class PostIn(GuidelinesMixin):
    body: str = Field(..., min_length=2, max_length=Post.MAX_BODY_LENGTH)
    reply_to: UUID | None = None


class PostPatch(InputSchema):
    body: str = Field(..., min_length=2, max_length=Post.MAX_BODY_LENGTH)


class PublishedOut(Schema):
    public_id: UUID
    status: str
    held_because: list[str]


class BestAnswerIn(InputSchema):
    post: UUID


def _published(result: PublishResult) -> dict[str, Any]:
    return {
        "public_id": result.content.public_id,
        "status": result.content.status,
        "held_because": [str(message) for message in result.hold_messages],
    }


def _check_guidelines(request: HttpRequest, community: Community, accepted: int | None) -> None:
    """As the pages: the current guidelines are accepted before posting. Records the
    acceptance when the payload names the current version."""
    user = signed_in_user(request)
    guidelines = guidelines_to_accept(user, community)
    if guidelines is None:
        return
    if accepted != guidelines.version:
        raise ApiError(
            403,
            "guidelines_not_accepted",
            pgettext(
                "api error",
                "Read the community's guidelines and accept them: send accept_guidelines "
                "with their version.",
            ),
            [{"version": guidelines.version, "url": community.get_absolute_url()}],
        )
    actions.accept_guidelines(user=user, guidelines=guidelines)


def _readable_post(user: User, slug: str, thread_id: UUID, post_id: UUID) -> Post:
    """A post of a thread ``user`` may read, or 404 (for the post endpoints)."""
    return access_post(user, access_thread(user, slug, thread_id), post_id)


def _check_member(request: HttpRequest, community: Community) -> None:
    if not can_post_in(request.user, community):
        raise ApiError(
            403, "not_a_member", pgettext("api error", "Join the community to write in it.")
        )


# --- communities and membership


@router.get("/communities", response=list[CommunityOut], auth=optional_auth)
@paginate(BoundedLimitOffsetPagination)
def list_communities(request: HttpRequest) -> Any:
    return visible_communities(request.user, Community.objects.all()).order_by("name")


@router.get("/communities/{slug}", response={200: CommunityOut, 404: ErrorOut}, auth=optional_auth)
def get_community(request: HttpRequest, slug: str = SLUG) -> Any:
    return access_community(request.user, slug)


@router.post(
    "/communities/{slug}/membership",
    response={200: MembershipOut, 201: MembershipOut, **WRITE_ERRORS},
    auth=token_or_session,
)
def join(request: HttpRequest, slug: str = SLUG) -> Any:
    """Join a public or members-only community (a private one takes a request)."""
    user = signed_in_user(request)
    community = access_community(request.user, slug)
    if is_member(user, community):
        return Status(200, {"community": community.slug, "member": True})
    if community.visibility == Visibility.PRIVATE:
        raise Http404  # members only know it exists, and they are members
    actions.join_community(user=user, community=community)
    return Status(201, {"community": community.slug, "member": True})


@router.delete(
    "/communities/{slug}/membership", response={204: None, **WRITE_ERRORS}, auth=token_or_session
)
def leave(request: HttpRequest, slug: str = SLUG) -> Status[None]:
    user = signed_in_user(request)
    community = access_community(request.user, slug)
    actions.leave_community(user=user, community=community)
    return Status(204, None)


@router.post(
    "/communities/{slug}/join-requests",
    response={201: MembershipOut, 200: MembershipOut, **WRITE_ERRORS},
    auth=token_or_session,
)
def ask_to_join(request: HttpRequest, payload: JoinRequestIn, slug: str = SLUG) -> Any:
    """Ask to join a private community that takes requests (its moderators decide);
    any other community is joined at once. 404 where the page would be 404."""
    user = signed_in_user(request)
    community = get_object_or_404(Community, slug=slug)
    if community.visibility != Visibility.PRIVATE:
        check_community_exists_for(user, community)
        actions.join_community(user=user, community=community)
        return Status(201, {"community": community.slug, "member": True})
    if is_member(user, community):
        return Status(200, {"community": community.slug, "member": True})
    if not community.accepts_requests:
        raise Http404
    if community.join_questions and not payload.answer.strip():
        raise ApiError(
            422,
            "invalid",
            pgettext("api error", "Answer the community's questions to ask to join."),
            [{"loc": ["body", "answer"], "msg": community.join_questions}],
        )
    actions.request_to_join(user=user, community=community, answer=payload.answer)
    return Status(201, {"community": community.slug, "member": False, "request_pending": True})


# --- threads

# The tags of a page of threads: one query per kind (decisions/0018).
THREAD_TAG_PREFETCHES = (
    "conditions",
    Prefetch("medicines", queryset=Medicine.objects.filter(is_active=True)),
)


@router.get(
    "/communities/{slug}/threads",
    response={200: list[ThreadOut], 404: ErrorOut},
    auth=optional_auth,
)
@paginate(BoundedLimitOffsetPagination)
def list_threads(request: HttpRequest, filters: Query[ThreadFilters], slug: str = SLUG) -> Any:
    community = access_community(request.user, slug)
    sort = filters.sort if filters.sort in THREAD_SORTS else THREAD_SORTS[0]
    threads = visible_threads(
        request.user,
        Thread.objects.filter(community=community).select_related("author", "best_answer"),
    )
    return sorted_threads(threads, sort).prefetch_related(*THREAD_TAG_PREFETCHES)


def _check_posting_rate(request: HttpRequest, user: Any) -> None:
    """429 ``rate_limited`` when the member or their address posts too fast (the
    pages' limit, moderation.permissions.check_posting_rate)."""
    try:
        check_posting_rate(user, client_ip(request))
    except PostingTooFast as exc:
        raise ApiError(429, "rate_limited", str(exc)) from None


@router.post(
    "/communities/{slug}/threads",
    response={201: PublishedOut, **WRITE_ERRORS},
    auth=token_or_session,
)
def create_thread(request: HttpRequest, payload: ThreadIn, slug: str = SLUG) -> Any:
    """Open a thread. The answer's ``public_id`` is the thread's; ``status`` is its
    first post's (``held`` waits for a moderator)."""
    user = signed_in_user(request)
    community = access_community(request.user, slug)
    _check_member(request, community)
    conditions = _tags(
        Condition.objects.all(), payload.conditions, "conditions",
        pgettext("api error", "Unknown condition."),
    )  # fmt: skip
    medicines = _tags(
        Medicine.objects.filter(is_active=True), payload.medicines, "medicines",
        pgettext("api error", "Unknown medicine."),
    )  # fmt: skip
    _check_guidelines(request, community, payload.accept_guidelines)
    _check_posting_rate(request, user)
    thread, result = actions.create_thread(
        author=user,
        community=community,
        title=payload.title,
        body=payload.body,
        language=get_language() or "sv",
        conditions=conditions,
        medicines=medicines,
    )
    out = _published(result)
    out["public_id"] = thread.public_id
    return Status(201, out)


def _tags(offered: QuerySet[Any], slugs: list[str], field: str, unknown: str) -> list[Any]:
    """The tags (conditions, medicines) named by ``slugs`` among ``offered``; 422
    ``invalid`` naming the field and every slug that is not there."""
    found = {tag.slug: tag for tag in offered.filter(slug__in=slugs)}
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise ApiError(
            422, "invalid", unknown, [{"loc": ["body", field], "msg": ", ".join(missing)}]
        )
    return list(found.values())


@router.patch(
    "/communities/{slug}/threads/{thread_id}",
    response={200: ThreadOut, **WRITE_ERRORS},
    auth=token_or_session,
)
def moderate_thread(
    request: HttpRequest, thread_id: UUID, payload: ThreadPatch, slug: str = SLUG
) -> Any:
    """Pin, lock or move a thread: for its community's moderators (with a second
    factor, so through the browser session). 403 for readers who do not moderate."""
    user = signed_in_user(request)
    thread = access_thread(user, slug, thread_id)
    check_moderate_thread(user, thread)
    if payload.is_pinned is not None:
        actions.pin_thread(actor=user, thread=thread, pinned=payload.is_pinned)
    if payload.is_locked is not None:
        actions.lock_thread(actor=user, thread=thread, locked=payload.is_locked)
    if payload.community is not None and payload.community != thread.community.slug:
        target = Community.objects.filter(slug=payload.community).first()
        if target is None:
            raise PermissionDenied  # as for a community they may not move it to
        actions.move_thread(actor=user, thread=thread, to=target)
    return thread


@router.put(
    "/communities/{slug}/threads/{thread_id}/best-answer",
    response={200: ThreadOut, **WRITE_ERRORS},
    auth=token_or_session,
)
def mark_best_answer(
    request: HttpRequest, thread_id: UUID, payload: BestAnswerIn, slug: str = SLUG
) -> Any:
    """The thread's author (or a moderator) marks the reply that helped most."""
    user = signed_in_user(request)
    thread = access_thread(user, slug, thread_id)
    post = access_post(user, thread, payload.post)
    try:
        actions.mark_best_answer(actor=user, thread=thread, post=post)
    except ValueError:
        raise ApiError(
            422,
            "invalid",
            pgettext("api error", "Only a published reply can be marked as the best answer."),
        ) from None
    return thread


@router.delete(
    "/communities/{slug}/threads/{thread_id}/best-answer",
    response={204: None, **WRITE_ERRORS},
    auth=token_or_session,
)
def unmark_best_answer(request: HttpRequest, thread_id: UUID, slug: str = SLUG) -> Status[None]:
    user = signed_in_user(request)
    thread = access_thread(user, slug, thread_id)
    actions.unmark_best_answer(actor=user, thread=thread)
    return Status(204, None)


# --- posts and reactions


@router.get(
    "/communities/{slug}/threads/{thread_id}/posts",
    response={200: list[PostOut], 404: ErrorOut},
    auth=optional_auth,
)
@paginate(BoundedLimitOffsetPagination)
def list_posts(request: HttpRequest, thread_id: UUID, slug: str = SLUG) -> Any:
    thread = access_thread(request.user, slug, thread_id)
    return thread_posts(request.user, thread).select_related("reply_to").order_by("position")


@router.post(
    "/communities/{slug}/threads/{thread_id}/posts",
    response={201: PublishedOut, **WRITE_ERRORS},
    auth=token_or_session,
)
def create_post(request: HttpRequest, thread_id: UUID, payload: PostIn, slug: str = SLUG) -> Any:
    """Reply, optionally to a post of the thread (``reply_to``). A locked thread
    answers 403 ``thread_locked``."""
    user = signed_in_user(request)
    thread = access_thread(user, slug, thread_id)
    _check_member(request, thread.community)
    reply_to = access_post(user, thread, payload.reply_to) if payload.reply_to else None
    _check_guidelines(request, thread.community, payload.accept_guidelines)
    _check_posting_rate(request, user)
    try:
        result = actions.reply_to_thread(
            author=user,
            thread=thread,
            body=payload.body,
            language=get_language() or "sv",
            reply_to=reply_to,
        )
    except ThreadLocked as exc:
        raise ApiError(403, "thread_locked", str(exc)) from None
    return Status(201, _published(result))


@router.patch(
    "/communities/{slug}/threads/{thread_id}/posts/{post_id}",
    response={200: PublishedOut, **WRITE_ERRORS},
    auth=token_or_session,
)
def edit_post(
    request: HttpRequest, thread_id: UUID, post_id: UUID, payload: PostPatch, slug: str = SLUG
) -> Any:
    """Edit your own published post (404 for anyone else's, as on the pages)."""
    user = signed_in_user(request)
    post = _readable_post(user, slug, thread_id, post_id)
    return _published(actions.edit_post(user=user, post=post, body=payload.body))


@router.delete(
    "/communities/{slug}/threads/{thread_id}/posts/{post_id}",
    response={204: None, **WRITE_ERRORS},
    auth=token_or_session,
)
def delete_post(
    request: HttpRequest, thread_id: UUID, post_id: UUID, slug: str = SLUG
) -> Status[None]:
    user = signed_in_user(request)
    post = _readable_post(user, slug, thread_id, post_id)
    actions.delete_post(user=user, post=post)
    return Status(204, None)


@router.put(
    "/communities/{slug}/threads/{thread_id}/posts/{post_id}/reactions/{kind}",
    response={204: None, **WRITE_ERRORS},
    auth=token_or_session,
)
def add_reaction(
    request: HttpRequest, thread_id: UUID, post_id: UUID, kind: ReactionKind, slug: str = SLUG
) -> Status[None]:
    """Add your reaction of ``kind`` (helpful, hug, me_too). Idempotent."""
    user = signed_in_user(request)
    post = _readable_post(user, slug, thread_id, post_id)
    actions.react(user=user, post=post, kind=kind)
    return Status(204, None)


@router.delete(
    "/communities/{slug}/threads/{thread_id}/posts/{post_id}/reactions/{kind}",
    response={204: None, **WRITE_ERRORS},
    auth=token_or_session,
)
def remove_reaction(
    request: HttpRequest, thread_id: UUID, post_id: UUID, kind: ReactionKind, slug: str = SLUG
) -> Status[None]:
    user = signed_in_user(request)
    post = _readable_post(user, slug, thread_id, post_id)
    actions.unreact(user=user, post=post, kind=kind)
    return Status(204, None)
