"""The stories API: public and visible stories, one story, its comments, and a
member's comment. The pages' rules, through the same actions, permissions and queries
(nothing decided here). A guest comments on the page only (name, e-mail address and
the confirmation link are a browser's matter)."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import get_language, pgettext
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field, StringConstraints

from patientvoice.accounts.permissions import signed_in_user
from patientvoice.core.audit import client_ip
from patientvoice.core.models import ContentStatus
from patientvoice.directory.models import Condition
from patientvoice.moderation.errors import MemberSanctioned, PostingTooFast
from patientvoice.moderation.permissions import check_posting_rate
from patientvoice.stories import actions
from patientvoice.stories.models import Story, StoryComment
from patientvoice.stories.permissions import access_comment, access_story, visible_comments
from patientvoice.stories.queries import story_list

from ..auth import optional_auth, token_or_session
from ..errors import ApiError
from ..pagination import BoundedLimitOffsetPagination
from ..schemas import ErrorOut, InputSchema

router = Router(tags=["stories"])
WRITE_ERRORS: dict[int, type[ErrorOut]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


class StoryOut(Schema):
    public_id: UUID
    title: str
    url: str
    author: str | None
    body_html: str
    language: str
    status: str
    community: str | None
    conditions: list[str]
    cover_url: str | None
    cover_alt: str
    reading_minutes: int
    comment_count: int
    featured: bool
    published_at: datetime | None
    edited_at: datetime | None

    @staticmethod
    def resolve_url(obj: Story) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_author(obj: Story) -> str | None:
        return obj.author.handle if obj.author else None

    @staticmethod
    def resolve_community(obj: Story) -> str | None:
        return obj.community.slug if obj.community else None

    @staticmethod
    def resolve_conditions(obj: Story) -> list[str]:
        return [c.slug for c in obj.conditions.all()]

    @staticmethod
    def resolve_cover_url(obj: Story) -> str | None:
        return obj.cover.url if obj.cover else None

    @staticmethod
    def resolve_featured(obj: Story) -> bool:
        return bool(getattr(obj, "is_featured", False))


class CommentOut(Schema):
    public_id: UUID
    author: str | None
    guest: bool
    body_html: str
    language: str
    status: str
    reply_to: UUID | None
    created_at: datetime
    published_at: datetime | None

    @staticmethod
    def resolve_author(obj: StoryComment) -> str | None:
        if obj.author is not None:
            return obj.author.handle
        return obj.guest_name or None  # a visitor's name; never the address

    @staticmethod
    def resolve_guest(obj: StoryComment) -> bool:
        return obj.is_guest

    @staticmethod
    def resolve_reply_to(obj: StoryComment) -> UUID | None:
        return obj.parent.public_id if obj.parent is not None else None


class CommentIn(InputSchema):
    # Stripped before the length is checked: whitespace alone is no comment.
    body: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=2, max_length=StoryComment.MAX_BODY_LENGTH
        ),
    ]
    reply_to: UUID | None = None


class PublishedOut(Schema):
    public_id: UUID
    status: str
    held_because: list[str]


class StoryFilters(Schema):
    condition: str | None = Field(None, description="Only stories tagged with it (slug).")


@router.get("/stories", response={200: list[StoryOut], 404: ErrorOut}, auth=optional_auth)
@paginate(BoundedLimitOffsetPagination)
def list_stories(request: HttpRequest, filters: Query[StoryFilters]) -> Any:
    """Published stories the caller may read, featured first, then the newest."""
    condition = None
    if filters.condition:
        condition = Condition.objects.filter(slug=filters.condition).first()
        if condition is None:
            raise Http404
    return story_list(request.user, condition=condition)


@router.get("/stories/{public_id}", response={200: StoryOut, 404: ErrorOut}, auth=optional_auth)
def get_story(request: HttpRequest, public_id: UUID) -> Any:
    story = access_story(request.user, public_id)
    return story_list(request.user).filter(pk=story.pk).first() or story


@router.get(
    "/stories/{public_id}/comments",
    response={200: list[CommentOut], 404: ErrorOut},
    auth=optional_auth,
)
@paginate(BoundedLimitOffsetPagination)
def list_comments(request: HttpRequest, public_id: UUID) -> Any:
    """The comments the caller may see, oldest first; a reply names the comment it
    answers (``reply_to``)."""
    story = access_story(request.user, public_id)
    return (
        visible_comments(request.user, StoryComment.objects.filter(story=story))
        .select_related("author", "parent")
        .order_by("created_at", "id")
    )


@router.post(
    "/stories/{public_id}/comments",
    response={201: PublishedOut, **WRITE_ERRORS},
    auth=token_or_session,
)
def create_comment(request: HttpRequest, public_id: UUID, payload: CommentIn) -> Any:
    """Comment as a member (``reply_to``: a comment to answer). ``403 not_allowed``
    where only the community's members comment; ``429 rate_limited`` too fast."""
    user = signed_in_user(request)
    story = access_story(user, public_id)
    parent = access_comment(user, story, payload.reply_to) if payload.reply_to else None
    if parent is not None and parent.status != ContentStatus.PUBLISHED:
        raise Http404
    try:
        check_posting_rate(user, client_ip(request))
        result = actions.comment_as_member(
            author=user,
            story=story,
            body=payload.body,
            language=get_language() or "sv",
            parent=parent,
        )
    except PostingTooFast as exc:
        raise ApiError(429, "rate_limited", str(exc)) from None
    except MemberSanctioned as exc:
        raise ApiError(403, "forbidden", str(exc)) from None
    except PermissionDenied:
        raise ApiError(
            403,
            "not_allowed",
            pgettext("api error", "Only members of the story's community can comment on it."),
        ) from None
    return Status(
        201,
        {
            "public_id": result.content.public_id,
            "status": result.content.status,
            "held_because": [str(m) for m in result.hold_messages],
        },
    )
