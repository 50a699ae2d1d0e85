"""Reads that pages, the API and exports share. All pass through the visibility rule."""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import Any

from django.db.models import (
    CharField,
    Exists,
    F,
    IntegerField,
    Model,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.http import Http404

from patientvoice.accounts.permissions import is_acting_staff
from patientvoice.core.prepared import PreparedObjects, PreparedValues, stand_in_reader
from patientvoice.directory.models import Condition, Medicine
from patientvoice.notifications.models import Subscription
from patientvoice.professionals.question_queries import with_question_labels

from .models import (
    POSTS_PER_PAGE,
    Community,
    CommunityGuidelines,
    GuidelinesAcceptance,
    Membership,
    MembershipRole,
    Post,
    Reaction,
    Thread,
    ThreadReadState,
)
from .permissions import (
    Roles,
    check_read_thread,
    hosting_staff_of,
    roles_from,
    visible_communities,
    visible_deleted_posts,
    visible_posts,
    visible_threads,
)


def home_communities(user: Any, limit: int = 12) -> list[Community]:
    qs = visible_communities(user, Community.objects.select_related("organization"))
    return list(qs.order_by("-member_count", "name")[:limit])


# How a community's threads can be sorted (``?sort=``); the first is the default.
THREAD_SORTS = ("activity", "newest", "unanswered")


def with_read_state(user: Any, qs: QuerySet[Thread]) -> QuerySet[Thread]:
    """Annotate each thread with ``read_position``: how far ``user`` has read it
    (None when never opened, and for visitors), in the same query as the threads."""
    if not getattr(user, "is_authenticated", False):
        return qs.annotate(read_position=Value(None, output_field=IntegerField()))
    state = ThreadReadState.objects.filter(user_id=user.pk, thread=OuterRef("pk"))
    return qs.annotate(read_position=Subquery(state.values("last_read_position")[:1]))


def sorted_threads(qs: QuerySet[Thread], sort: str) -> QuerySet[Thread]:
    """Pinned threads first, then by ``sort`` (an unknown value sorts by activity):
    ``activity`` (latest post), ``newest`` (opened most recently) or ``unanswered``
    (nobody replied yet, newest first)."""
    if sort == "newest":
        return qs.order_by("-is_pinned", "-created_at", "-id")
    if sort == "unanswered":
        return qs.filter(post_count__lte=1).order_by("-is_pinned", "-created_at", "-id")
    return qs.order_by("-is_pinned", "-last_post_at", "-id")


def home_conditions(user: Any, limit: int = 12) -> list[Condition]:
    """Conditions that communities ``user`` may know are tagged with, for the home
    page: a way in by what someone lives with."""
    known = visible_communities(user, Community.objects.all()).values("pk")
    ids = (
        Community.conditions.through.objects.filter(community_id__in=known)
        .values("condition_id")
        .distinct()
    )
    return list(Condition.objects.filter(pk__in=ids).order_by("slug")[:limit])


def community_threads(user: Any, community: Community, sort: str = "activity") -> QuerySet[Thread]:
    # Each row links to itself, and a thread's URL holds its community's slug; its
    # condition tags come in one more query for the whole page. The reader's read
    # state comes with each row, and so does its label as a question for
    # professionals (decisions/0037).
    threads = visible_threads(
        user,
        Thread.objects.filter(community=community).select_related("community", "author"),
    ).prefetch_related("conditions")
    return sorted_threads(with_read_state(user, with_question_labels(threads)), sort)


def _thread_for_page(shape: tuple[bool, bool], values: dict[str, Any]) -> QuerySet[Thread, Any]:
    """The thread of the page, with what the page shows of its community and best
    answer and, for a signed-in reader, the reader's facts in the same row: how far
    they read it, whether they are a member and a moderator of its community, whether
    they follow it, the number on their header's notifications link, and (when they
    hold an organisation role) whether they are acting staff of the organisation
    hosting it. Built once per shape (core.prepared);
    ``thread_for_page`` authorises the row it gets (``check_read_thread``)."""
    from patientvoice.notifications.queries import header_unread_expression

    signed_in, may_host = shape
    found = Thread.objects.filter(  # visibility: thread_for_page checks the row it gets
        community__slug=values["slug"], public_id=values["thread"]
    )
    if signed_in:
        reader = SimpleNamespace(
            pk=values["user"], is_authenticated=True, holds_organization_role=True
        )
        mine = Membership.objects.filter(
            user_id=values["user"], community_id=OuterRef("community_id")
        )
        follows = Subscription.objects.filter(user_id=values["user"], thread=OuterRef("pk"))
        found = with_read_state(reader, found).annotate(
            is_member=Exists(mine),
            is_moderator=Exists(mine.filter(role=MembershipRole.MODERATOR)),
            reader_follows=Exists(follows),
            header_unread=header_unread_expression(values["user"]),
            is_hosting=(
                hosting_staff_of(reader, "community__organization_id") if may_host else Value(False)
            ),
        )
    # Unique: no ordering. Without the columns nothing on the page reads (long texts,
    # the best answer's Markdown and its author's account): building the row's objects
    # costs more than the query.
    # A question for professionals (decisions/0037): its field, who asked and the
    # profession of the first answer, through the same row (a left join).
    found = found.annotate(
        pv_question_field=F("professional_question__field"),
        pv_question_asker=F("professional_question__asked_by_id"),
        pv_answer_profession=F("professional_question__first_answer_profession"),
    )
    return (
        found.select_related("community", "best_answer", "best_answer__author")
        .defer(*UNREAD_ON_THE_PAGE)
        .order_by()[:1]
    )


UNREAD_ON_THE_PAGE = (
    "community__description", "community__teaser", "community__join_questions",
    "community__cover", "community__created_at",
    "best_answer__body", "best_answer__hold_reasons", "best_answer__created_at",
    "best_answer__published_at", "best_answer__helpful_count", "best_answer__hug_count",
    "best_answer__me_too_count", "best_answer__reply_to",
    *(f"best_answer__author__{name}" for name in (
        "password", "last_login", "is_superuser", "email", "handle_canonical", "bio",
        "presence", "preferred_language", "profile_audience", "age_confirmed_at",
        "is_trusted", "date_joined", "updated_at", "published_count",
        "erasure_requested_at", "erasure_mode", "consented_policy_version",
        "holds_organization_role",
    )),
)  # fmt: skip


THREAD_FOR_PAGE = PreparedObjects[Thread](_thread_for_page)


def _model_order(model: type[Model], names: set[str]) -> tuple[str, ...]:
    """``names`` in the order of the model's fields, the order ``Model.from_db`` takes
    the values of some of its fields in."""
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)


# What the thread page shows of each tag (decisions/0018).
_CONDITION_FIELDS = _model_order(Condition, {"id", "slug", "name_sv", "name_en"})
_MEDICINE_FIELDS = _model_order(Medicine, {"id", "slug", "name_sv", "inn_en"})


def _thread_tags(shape: tuple[()], values: dict[str, Any]) -> QuerySet[Any, Any]:
    """The thread's condition tags and its active medicine tags, in one query: a
    ``UNION ALL`` of rows of the same shape, the first column saying which kind."""
    kind = CharField()
    conditions = (
        Condition.objects.filter(threads=values["thread"])
        .order_by()
        .values_list(Value("condition", output_field=kind), *_CONDITION_FIELDS)
    )
    # An inactive medicine has no page to link to (its page answers 404).
    medicines = (
        Medicine.objects.filter(threads=values["thread"], is_active=True)
        .order_by()
        .values_list(Value("medicine", output_field=kind), *_MEDICINE_FIELDS)
    )
    return conditions.union(medicines, all=True)


THREAD_TAGS = PreparedValues(_thread_tags)


def thread_tags(thread: Thread) -> tuple[list[Condition], list[Medicine]]:
    """The thread's condition tags and active medicine tags, by slug: one query for
    both kinds (compiled once), so the thread page pays one query for its tags. The
    objects hold only the fields the page shows (as ``.only()`` would give them)."""
    conditions: list[Condition] = []
    medicines: list[Medicine] = []
    for kind, *row in THREAD_TAGS.rows((), {"thread": thread.pk}):
        if kind == "condition":
            conditions.append(Condition.from_db(Condition.objects.db, _CONDITION_FIELDS, row))
        else:
            medicines.append(Medicine.from_db(Medicine.objects.db, _MEDICINE_FIELDS, row))
    conditions.sort(key=lambda c: c.slug)
    medicines.sort(key=lambda m: m.slug)
    return conditions, medicines


def _uuid(value: Any) -> uuid.UUID:
    """The thread id of a URL (the converter gives a UUID; callers may give text)."""
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def thread_for_page(user: Any, community_slug: str, thread_id: Any) -> tuple[Thread, Roles]:
    """The thread page's thread (with its community and best answer), the reader's read
    state, and what the reader is in the community; 404 when ``user`` may not read it
    (``permissions.check_read_thread``, the rule of ``visible_threads`` applied to the
    fetched row). One plain query, compiled once per shape: the general rule
    (``visible_threads``) and ``viewer_roles`` together cost four times as much to
    build, on the page asked most. The reader's follow state comes with it
    (``reader_follows``) for the page's head."""
    signed_in = bool(getattr(user, "is_authenticated", False))
    may_host = (
        signed_in
        and bool(getattr(user, "holds_organization_role", False))
        and not getattr(user, "privileges_suspended", False)
    )
    values: dict[str, Any] = {"slug": community_slug, "thread": _uuid(thread_id)}
    if signed_in:
        values["user"] = user.pk
    found = THREAD_FOR_PAGE.objects((signed_in, may_host), values)
    thread = found[0] if found else None
    if thread is None:
        raise Http404
    read_position, member, moderator, hosting_staff = None, False, False, False
    if signed_in:
        read_position = thread.read_position  # type: ignore[attr-defined]
        member, moderator = thread.is_member, thread.is_moderator  # type: ignore[attr-defined]
        hosting_staff = thread.is_hosting  # type: ignore[attr-defined]
    member, hosting_staff = bool(member), bool(hosting_staff)
    check_read_thread(user, thread, member=member, hosting=hosting_staff)
    thread.read_position = read_position  # type: ignore[attr-defined]
    return thread, roles_from(
        user, member=member, moderator_member=bool(moderator), hosting=hosting_staff
    )


def page_entries(
    user: Any, thread: Thread, number: int, pks: list[int] | None = None
) -> list[Post]:
    """The entries (``thread_entries``) at the 50 positions of page ``number``, or only
    those of them in ``pks``."""
    last = number * POSTS_PER_PAGE
    entries = thread_entries(user, thread)
    if pks is not None:
        entries = entries.filter(pk__in=pks)
    return list(
        entries.filter(position__gt=last - POSTS_PER_PAGE, position__lte=last)
        .select_related("reply_to", "reply_to__author")
        # What the page shows, no more: the hot page's time goes into building rows
        # (the Markdown source, and the authors' account columns, stay in the database).
        .only(*PAGE_POST_FIELDS)
    )


PAGE_POST_FIELDS = (
    "public_id", "author__handle", "body_html", "language", "status", "hold_reasons",
    "created_at", "edited_at", "deleted_at", "position", "thread_id", "community_id",
    "helpful_count", "hug_count", "me_too_count",
    "reply_to__public_id", "reply_to__position", "reply_to__status",
    "reply_to__author__handle",
)  # fmt: skip


def first_unread_post(user: Any, thread: Thread) -> Post | None:
    """The first post ``user`` may read in ``thread`` after where they stopped (the
    first post when they never opened it); None when they have read everything."""
    state = ThreadReadState.objects.filter(user_id=user.pk, thread=thread).first()
    after = state.last_read_position if state is not None else 0
    return thread_posts(user, thread).filter(position__gt=after).order_by("position").first()


def member_communities(user: Any) -> list[Community]:
    """The communities ``user`` belongs to, by name."""
    if not getattr(user, "is_authenticated", False):
        return []
    mine = Membership.objects.filter(user_id=user.pk).values("community_id")
    return list(visible_communities(user, Community.objects.filter(pk__in=mine)).order_by("name"))


def latest_in_my_communities(user: Any) -> QuerySet[Thread]:
    """Threads of the communities ``user`` belongs to, most recent activity first,
    with their read state, through the visibility rule."""
    mine = Membership.objects.filter(user_id=user.pk).values("community_id")
    threads = visible_threads(
        user, Thread.objects.filter(community__in=mine).select_related("community", "author")
    )
    return with_read_state(user, threads).order_by("-last_post_at", "-id")


# The home page (core.home_page) asks its three questions as plain rows, through
# queries compiled once per shape (core.prepared): building them with the ORM cost more
# than the rest of the page. The rules are the ones above, built for a stand-in reader.
HOME_COMMUNITIES = 12
HOME_LATEST = 15


def home_shape(user: Any) -> tuple[bool, bool, bool]:
    """What changes the SQL of the home page's questions: signed in, acting site staff
    (who may know every community), powers suspended (no hosting-staff subquery)."""
    signed_in = bool(getattr(user, "is_authenticated", False))
    return (
        signed_in,
        signed_in and is_acting_staff(user),
        signed_in and bool(getattr(user, "privileges_suspended", False)),
    )


def _home_reader(shape: tuple[bool, bool, bool], values: dict[str, Any]) -> Any:
    """The request's user as the visibility rules read it: signed in, staff, suspended."""
    signed_in, staff, suspended = shape
    return stand_in_reader(signed_in, values.get("user"), staff=staff, suspended=suspended)


# What a community card shows (core/home_discover.html), the id first.
HOME_COMMUNITY_COLUMNS = (
    "id", "slug", "name", "language", "description", "visibility", "member_count",
    "organization_id", "organization__slug", "organization__name",
    "organization__verified_at",
)  # fmt: skip


def _home_communities(shape: tuple[bool, bool, bool], values: dict[str, Any]) -> QuerySet[Any, Any]:
    return (
        visible_communities(_home_reader(shape, values), Community.objects.all())
        .order_by("-member_count", "name")
        .values_list(*HOME_COMMUNITY_COLUMNS)[:HOME_COMMUNITIES]
    )


HOME_COMMUNITY_ROWS = PreparedValues(_home_communities)


def home_community_rows(user: Any) -> list[tuple[Any, ...]]:
    """``home_communities`` as rows of ``HOME_COMMUNITY_COLUMNS``, as the database
    gives them."""
    shape = home_shape(user)
    values = {"user": user.pk} if shape[0] else {}
    return HOME_COMMUNITY_ROWS.rows(shape, values)


def _member_communities(
    shape: tuple[bool, bool, bool], values: dict[str, Any]
) -> QuerySet[Any, Any]:
    mine = Membership.objects.filter(user_id=values["user"]).values("community_id")
    return (
        visible_communities(_home_reader(shape, values), Community.objects.filter(pk__in=mine))
        .order_by("name")
        .values_list("id", "slug", "name", "language")
    )


MEMBER_COMMUNITY_ROWS = PreparedValues(_member_communities)


def member_community_rows(user: Any) -> list[tuple[Any, ...]]:
    """``member_communities`` as rows: id, slug, name, language."""
    shape = home_shape(user)
    if not shape[0]:
        return []
    return MEMBER_COMMUNITY_ROWS.rows(shape, {"user": user.pk})


# What the home page shows of a thread and what decides its badges.
HOME_THREAD_COLUMNS = (
    "id", "public_id", "title", "community_id", "community__slug", "community__name",
    "is_published", "author_id", "post_count", "last_published_position", "read_position",
)  # fmt: skip


def _latest_threads(shape: tuple[bool, bool, bool], values: dict[str, Any]) -> QuerySet[Any, Any]:
    latest = latest_in_my_communities(_home_reader(shape, values))
    return latest.values_list(*HOME_THREAD_COLUMNS)[:HOME_LATEST]


LATEST_THREAD_ROWS = PreparedValues(_latest_threads)


def latest_thread_rows(user: Any) -> list[tuple[Any, ...]]:
    """The first ``HOME_LATEST`` of ``latest_in_my_communities`` as rows of
    ``HOME_THREAD_COLUMNS`` (``read_position`` last)."""
    shape = home_shape(user)
    if not shape[0]:
        return []
    return LATEST_THREAD_ROWS.rows(shape, {"user": user.pk})


def unread_threads(user: Any, limit: int = 10) -> list[Thread]:
    """The most recently active threads of ``user``'s communities with posts they have
    not read (opened before, with newer published posts)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        # Keyword names of an annotation: the type checker knows the model's fields only.
        latest_in_my_communities(user).filter(
            **{"read_position__isnull": False, "read_position__lt": F("last_published_position")}
        )[:limit]
    )


def tagged_communities(user: Any, condition: Condition) -> list[Community]:
    """Communities tagged with ``condition`` whose existence ``user`` may know."""
    qs = visible_communities(
        user, Community.objects.filter(conditions=condition).select_related("organization")
    )
    return list(qs.order_by("-member_count", "name"))


def tagged_threads(user: Any, tag: Condition | Medicine) -> QuerySet[Thread]:
    """Threads tagged with ``tag`` (a condition or a medicine) that ``user`` may read,
    most active first."""
    kind = "medicines" if isinstance(tag, Medicine) else "conditions"
    return visible_threads(
        user, Thread.objects.filter(**{kind: tag}).select_related("community", "author")
    ).order_by("-last_post_at", "-id")


def thread_posts(user: Any, thread: Thread) -> QuerySet[Post]:
    return visible_posts(user, Post.objects.filter(thread=thread).select_related("author"))


def thread_entries(user: Any, thread: Thread) -> QuerySet[Post]:
    """What the thread page lists: the posts ``user`` may read and, in the place of
    each post its author deleted, a placeholder (the row holds no text any more)."""
    readable = visible_posts(user, Post.objects.filter(thread=thread))
    placeholders = visible_deleted_posts(user, Post.objects.filter(thread=thread))
    return (readable | placeholders).select_related("author").order_by("position")


def own_reactions(user: Any, post_ids: list[int]) -> dict[int, set[str]]:
    """The kinds of reaction ``user`` gave to each of the posts ``post_ids``, in one
    query for the whole page (none for a visitor or an empty page)."""
    if not getattr(user, "is_authenticated", False) or not post_ids:
        return {}
    given: dict[int, set[str]] = {}
    for post_id, kind in Reaction.objects.filter(user_id=user.pk, post_id__in=post_ids).values_list(
        "post_id", "kind"
    ):
        given.setdefault(post_id, set()).add(kind)
    return given


def latest_posts(user: Any, limit: int = 10) -> list[Post]:
    qs = visible_posts(user, Post.objects.select_related("author", "thread", "community"))
    return list(qs.order_by("-created_at")[:limit])


def current_guidelines(community: Community) -> CommunityGuidelines | None:
    """The latest version of the community's guidelines, or None when it has none.
    Guidelines are rules, not content: whoever may read the community may read them."""
    return CommunityGuidelines.objects.filter(community=community).order_by("-version").first()


def guidelines_to_accept(user: Any, community: Community) -> CommunityGuidelines | None:
    """The current guidelines when ``user`` has not accepted them yet, else None.
    One query: the latest version, with whether this person accepted it."""
    if not getattr(user, "is_authenticated", False):
        return current_guidelines(community)
    accepted = GuidelinesAcceptance.objects.filter(user_id=user.pk, guidelines=OuterRef("pk"))
    latest = (
        CommunityGuidelines.objects.filter(community=community)
        .annotate(accepted=Exists(accepted))
        .order_by("-version")
        .first()
    )
    if latest is None or latest.accepted:
        return None
    return latest


def needs_to_accept_guidelines(user: Any, community: Community) -> bool:
    """Whether ``user`` must accept the community's guidelines before posting there:
    it has guidelines and the person has not accepted the latest version."""
    return guidelines_to_accept(user, community) is not None
