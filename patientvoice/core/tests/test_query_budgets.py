"""Every page and API list has a query budget (issue 9, item 6; CONVENTIONS: "every
list page and API list asserts its query count with enough rows that an N+1 would
show").

``REGISTRY`` gives every GET route of the URL configuration (each language's pages)
and every GET operation of the API one entry (``core.testing.budgets``): a budget
measured here, a pointer to an app's own budget test, or an exclusion with its reason.
A route with no entry fails ``test_every_route_has_a_budget_entry``.

A budget here is measured in a *scenario*: a small world with readers, grown from
``SMALL`` to ``LARGE`` rows of everything the pages list (threads, posts, reactions,
members, join requests, notes, stories, cases, staff...). Each page must cost the
same number of queries at both sizes and no more than its stated maximum. Counts are
taken with every cache cold, after one warm-up request, so a cached fragment cannot
hide a query per row; the visitors' page cache is off (``PV_PAGE_CACHE``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client, TestCase
from django.urls import reverse

from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import StaffFactory, UserFactory
from patientvoice.core.testing.budgets import (
    Budget,
    Covered,
    Entry,
    Excluded,
    api_get_operations,
    count_queries,
    fill_route,
    page_routes,
    problem_with_covered,
)
from patientvoice.core.testing.sessions import log_in, log_in_with_mfa

SMALL, LARGE = 3, 12

ADMIN = Excluded("Django's admin: a staff tool outside the member site, its lists Django's own")
ALLAUTH = Excluded("allauth's account and two-step forms: no list of ours, nothing per row")
POST_ONLY = Excluded("POST only: GET answers 405 (checked by test_post_only_routes_refuse_get)")
REDIRECT = Excluded("redirects to a page that has its own budget")
DOWNLOAD = Excluded("a file download that streams stored bytes, not a page")
API_ONE = Excluded("API detail: one object, not a list (issue 9 item 6 asks for lists)")


def rule_for(key: str) -> Entry | None:
    """Exclusions by family, so that a new admin model or allauth page needs no entry."""
    if key.startswith(("admin:", "staff/admin/")):
        return ADMIN
    if key.startswith(("account_", "mfa_")):
        return ALLAUTH
    return None


@dataclass
class World:
    """What a scenario made: named objects and a logged-in client per reader."""

    objects: dict[str, Any] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.objects[name]


def client_for(user: User | None, *, mfa: bool = False) -> Client:
    client = Client()
    if user is not None:
        (log_in_with_mfa if mfa else log_in)(client, user)
    return client


def url(name: str, *args: Callable[[World], Any]) -> Callable[[World], str]:
    """reverse(name) with arguments read from the world when the page is measured."""

    def build(world: World) -> str:
        return reverse(name, args=[arg(world) for arg in args])

    return build


def obj(name: str, attribute: str = "") -> Callable[[World], Any]:
    def read(world: World) -> Any:
        value = world[name]
        return getattr(value, attribute) if attribute else value

    return read


# --- Scenarios ---------------------------------------------------------------------
# Each has setup() -> World and grow(world, count): add ``count`` rows of every kind
# its pages list. Data is made through the apps' factories and actions.


def _community_setup() -> World:
    from patientvoice.communities import actions
    from patientvoice.communities.tests.factories import CommunityFactory, ThreadFactory
    from patientvoice.moderation.tests.factories import community_moderator

    member = UserFactory.create()
    public = CommunityFactory.create(members=[member])
    private = CommunityFactory.create(private=True, members=[member])
    moderator = community_moderator(public)
    actions.make_moderator(actor=None, community=private, user=moderator)
    thread = ThreadFactory.create(community=public, author=member)
    post = thread.posts.order_by("position").first()
    asker = UserFactory.create()
    world = World(
        objects={
            "member": member,
            "public": public,
            "private": private,
            "thread": thread,
            "post": post,
            "asker": asker,
        },
        clients={
            "visitor": client_for(None),
            "member": client_for(member),
            "moderator": client_for(moderator, mfa=True),
            "asker": client_for(asker),
        },
    )
    return world


def _community_grow(world: World, count: int) -> None:
    from patientvoice.communities import actions
    from patientvoice.communities.tests.factories import PostFactory, ThreadFactory

    public, private, thread = world["public"], world["private"], world["thread"]
    for _ in range(count):
        someone = UserFactory.create()
        reply = PostFactory.create(thread=thread, author=someone)
        actions.react(user=world["member"], post=reply, kind="helpful")
        ThreadFactory.create(community=public, author=someone)
        PostFactory.create(thread=thread, author=world["member"])
        actions.request_to_join(user=UserFactory.create(), community=private, answer="Hi")
        actions.join_community(user=someone, community=private)


def _ambient_setup() -> World:
    member = UserFactory.create()
    return World(
        objects={"member": member},
        clients={"visitor": client_for(None), "member": client_for(member)},
    )


def _ambient_grow(world: World, count: int) -> None:
    """What a busy member has: communities joined, threads written, replies to them
    (which notify), so a header, a menu or a context processor that reads per row
    would show on every page."""
    from patientvoice.communities.tests.factories import (
        CommunityFactory,
        PostFactory,
        ThreadFactory,
    )

    member = world["member"]
    for _ in range(count):
        community = CommunityFactory.create(members=[member])
        thread = ThreadFactory.create(community=community, author=member)
        PostFactory.create(thread=thread, author=UserFactory.create())


def _organisation_setup() -> World:
    from patientvoice.moderation.tests.factories import organization_staff
    from patientvoice.organizations.models import StaffRole
    from patientvoice.organizations.tests.factories import OrganizationFactory

    organization = OrganizationFactory.create()
    admin = organization_staff(organization, role=StaffRole.ADMIN)
    return World(
        objects={"organization": organization}, clients={"admin": client_for(admin, mfa=True)}
    )


def _organisation_grow(world: World, count: int) -> None:
    from patientvoice.communities.tests.factories import CommunityFactory
    from patientvoice.moderation.tests.factories import organization_staff
    from patientvoice.professionals.tests.factories import approved

    organization = world["organization"]
    for _ in range(count):
        organization_staff(organization)
        CommunityFactory.create(organization=organization)
        approved()


def _sponsors_setup() -> World:
    """A sponsor with a medical information service, a sponsorship of a community, one
    of the sponsor's staff writing in it (held for approval: the deployment is
    sponsor-controlled, ``SETTINGS``) and a member who asks the service."""
    from patientvoice.communities import actions as community_actions
    from patientvoice.communities.tests.factories import CommunityFactory
    from patientvoice.moderation.tests.factories import with_second_factor
    from patientvoice.organizations.models import Organization, StaffRole
    from patientvoice.organizations.tests.sponsor_factories import (
        sponsor,
        sponsorship_of,
        staff_of,
    )

    pharma = sponsor()
    Organization.objects.filter(pk=pharma.pk).update(
        medical_information_email="medinfo@pharma-nordic.example"
    )
    pharma.refresh_from_db()
    community = CommunityFactory.create()
    worker = staff_of(pharma, role=StaffRole.MODERATOR)
    community_actions.join_community(user=worker, community=community)
    staffer, asker = with_second_factor(StaffFactory.create()), UserFactory.create()
    return World(
        objects={
            "sponsor": pharma,
            "community": community,
            "sponsorship": sponsorship_of(pharma, community),
            "worker": worker,
            "asker": asker,
        },
        clients={"staff": client_for(staffer, mfa=True), "asker": client_for(asker)},
    )


def _sponsors_grow(world: World, count: int) -> None:
    """Per row: a text by the sponsor's staff held for approval, a question the member
    asks the service, and another sponsor funding another community (choices of the
    sponsorship form)."""
    from django.core.cache import cache

    from patientvoice.communities import actions as community_actions
    from patientvoice.communities.tests.factories import CommunityFactory, ThreadFactory
    from patientvoice.organizations import medical_information
    from patientvoice.organizations.tests.sponsor_factories import sponsor, sponsorship_of

    for _ in range(count):
        thread = ThreadFactory.create(community=world["community"])
        community_actions.reply_to_thread(
            author=world["worker"], thread=thread, body=SPONSOR_TEXT, language="sv"
        )
        # Questions asked over many days: forget the per-day limit between them.
        cache.clear()
        medical_information.ask_medical_information(
            asker=world["asker"],
            sponsor=world["sponsor"],
            medicine="Sertralin",
            question="Can it be used for hot flushes?",
            consent=True,
        )
        other = sponsor(name=f"Pharma {thread.pk} AB")
        sponsorship_of(other, CommunityFactory.create())


SPONSOR_TEXT = "We fund this community. Read about our support programme for patients."


def _sponsors_grown(world: World) -> dict[str, int]:
    from patientvoice.organizations import medical_information
    from patientvoice.organizations.sponsor_approval import approval_queue

    staffer = StaffFactory.create()
    return {
        "texts waiting for approval": approval_queue(staffer).count(),
        "the member's questions": medical_information.own_requests(world["asker"]).count(),
    }


def _reviews_setup() -> World:
    from patientvoice.reviews.tests.factories import physician, review

    doctor = physician()
    first = review(doctor, 4)
    return World(
        objects={"doctor": doctor, "review": first},
        clients={
            "visitor": client_for(None),
            "member": client_for(UserFactory.create()),
            "author": client_for(first.author),
        },
    )


def _reviews_grow(world: World, count: int) -> None:
    from patientvoice.reviews.tests.factories import review

    for value in range(count):
        review(world["doctor"], 1 + value % 5)


def _provider_setup() -> World:
    """A clinic spoken for by a provider, a review with the provider's reply and a
    dispute whose moderator asked its reviewer for context, and a review not yet
    answered."""
    from patientvoice.reviews import provider_actions
    from patientvoice.reviews.tests.factories import acting_staff, clinic, review
    from patientvoice.reviews.tests.provider_factories import approved_claim, reply

    place = clinic()
    claim = approved_claim(place)
    reviewer = UserFactory.create()
    rated = review(place, author=reviewer)
    answer = reply(rated, claim)
    dispute = provider_actions.dispute_review(
        provider=claim.user, review=rated, reason="factually_wrong", text="Vi har telefontid."
    )
    return World(
        objects={
            "place": place,
            "claim": claim,
            "reviewer": reviewer,
            "rated": rated,
            "reply": answer,
            "dispute": dispute,
            "unanswered": review(place),
            "moderator": acting_staff(),
            "edits": 0,
        },
        clients={
            "member": client_for(UserFactory.create()),
            "provider": client_for(claim.user, mfa=True),
            "reviewer": client_for(reviewer),
        },
    )


def _provider_grow(world: World, count: int) -> None:
    """Per row: the moderator asks the reviewer again (a notice each), the provider
    edits the reply (an earlier version each) and answers one more review of the
    clinic."""
    from patientvoice.reviews import provider_actions
    from patientvoice.reviews.tests.factories import review
    from patientvoice.reviews.tests.provider_factories import reply

    for _ in range(count):
        world.objects["edits"] += 1
        provider_actions.ask_reviewer_for_context(
            moderator=world["moderator"],
            dispute=world["dispute"],
            question=f"När ringde du? ({world['edits']})",
        )
        provider_actions.edit_reply(
            editor=world["claim"].user,
            reply=world["reply"],
            body=f"Tack, vi ser över väntetiderna ({world['edits']}).",
        )
        reply(review(world["place"]), world["claim"])


def _professionals_setup() -> World:
    """A verifier, site staff, a pending request, a credential, a member's thread to ask
    professionals about, and a nurse whom an organisation invites to advise."""
    from patientvoice.communities.tests.factories import CommunityFactory, ThreadFactory
    from patientvoice.professionals.tests.factories import approved, staff, submitted, verifier
    from patientvoice.professionals.tests.question_factories import (
        organisation_with_admin,
        professional,
    )

    checker, asker, nurse = verifier(), UserFactory.create(), professional()
    organization, admin = organisation_with_admin()
    staffer = staff()
    return World(
        objects={
            "verifier": checker,
            "pending": submitted(),
            "credential": approved(by=checker),
            "thread": ThreadFactory.create(community=CommunityFactory.create(), author=asker),
            "nurse": nurse,
            "organization": organization,
            "admin": admin,
        },
        clients={
            "verifier": client_for(checker, mfa=True),
            "staff": client_for(staffer, mfa=True),
            "asker": client_for(asker),
            "nurse": client_for(nurse, mfa=True),
        },
    )


def _professionals_grow(world: World, count: int) -> None:
    """Per row: a credential approved by the verifier, and a community of the
    organisation the nurse is invited to advise (every other one accepted)."""
    from patientvoice.communities.tests.factories import CommunityFactory
    from patientvoice.professionals.tests.factories import approved
    from patientvoice.professionals.tests.question_factories import adviser

    organization = world["organization"]
    for n in range(count):
        approved(by=world["verifier"])
        adviser(
            organization,
            world["admin"],
            CommunityFactory.create(organization=organization),
            world["nurse"],
            accept=n % 2 == 0,
        )


def _professionals_grown(world: World) -> dict[str, int]:
    from patientvoice.professionals.adviser_queries import own_adviser_roles

    return {"the nurse's adviser roles": own_adviser_roles(world["nurse"]).count()}


def _notes_setup() -> World:
    from patientvoice.expertnotes.tests.factories import note, post, professional

    target = post()
    author = target.author
    writer = professional()
    written = note(writer, target)
    return World(
        objects={
            "target": target,
            "untouched": post(author=author),
            "note": written,
            "writer": writer,
            "edits": 0,
        },
        clients={
            "visitor": client_for(None),
            "writer": client_for(writer, mfa=True),
            "author": client_for(author),
        },
    )


def _notes_grow(world: World, count: int) -> None:
    """More professionals' notes on the target (each a notice to its author) and more
    edits of the writer's note (each an earlier version on its history page)."""
    from patientvoice.expertnotes import actions
    from patientvoice.expertnotes.tests.factories import FASS, NOTE_BODY, note

    written = world["note"]
    for _ in range(count):
        note(target=world["target"])
        world.objects["edits"] += 1
        actions.edit_note(
            note=written,
            editor=world["writer"],
            kind="context",
            body=f"{NOTE_BODY} Edit {world['edits']}.",
            sources=[FASS, ("1177: Metformin", "https://www.1177.se/metformin")],
        )


def _moderation_setup() -> World:
    from patientvoice.moderation.tests.factories import with_second_factor

    staff = with_second_factor(StaffFactory.create())
    return World(objects={"staff": staff}, clients={"staff": client_for(staff, mfa=True)})


def _moderation_grow(world: World, count: int) -> None:
    from patientvoice.moderation.actions.trusted_flaggers import designate_trusted_flagger
    from patientvoice.organizations.tests.factories import OrganizationFactory

    for _ in range(count):
        designate_trusted_flagger(
            actor=world["staff"], organization=OrganizationFactory.create(), reason="Clinics"
        )


def _reports_setup() -> World:
    """A member's report of a post, and a decision about another post of its author,
    appealed by them."""
    from patientvoice.communities.tests.factories import (
        CommunityFactory,
        PostFactory,
        ThreadFactory,
    )
    from patientvoice.moderation import actions
    from patientvoice.moderation.tests.factories import community_moderator

    author, reader = UserFactory.create(), UserFactory.create()
    public = CommunityFactory.create(members=[author, reader])
    moderator, second = community_moderator(public), community_moderator(public)
    thread = ThreadFactory.create(community=public, author=author)
    reported = PostFactory.create(thread=thread, author=author)
    report = actions.flag(reporter=reader, kind="post", obj=reported, reason="spam")
    world = World(
        objects={
            "author": author,
            "moderator": moderator,
            "thread": thread,
            "reported": reported,
            "report": report,
            "fresh": PostFactory.create(thread=thread, author=author),
        },
        clients={
            "reader": client_for(reader),
            "author": client_for(author),
            "second": client_for(second, mfa=True),
        },
    )
    world.objects["appeal"] = _appealed(world)
    world.objects["statement"] = world["appeal"].statement
    return world


def _appealed(world: World) -> Any:
    """A post of the author hidden by the moderator, and the author's appeal."""
    from patientvoice.communities.tests.factories import PostFactory
    from patientvoice.moderation import actions
    from patientvoice.moderation.tests.factories import flagged

    case = flagged(PostFactory.create(thread=world["thread"], author=world["author"]))
    decision = actions.decide(
        moderator=world["moderator"],
        case=case,
        action="hide",
        reason_code="community_guidelines",
        explanation="It names another member.",
    )
    return actions.appeal(appellant=world["author"], statement=decision.statement, text="No.")


def _reports_grow(world: World, count: int) -> None:
    """Per row: another member's report of the reported post (one more report in its
    case) and another appealed decision about the author."""
    from patientvoice.moderation.tests.factories import flagged

    for _ in range(count):
        flagged(world["reported"])
        _appealed(world)


def _reports_grown(world: World) -> dict[str, int]:
    from patientvoice.moderation.models import Appeal

    return {
        "reports in the case": world["report"].case.reports.count(),
        "the author's appeals": Appeal.objects.filter(appellant=world["author"]).count(),
    }


def _safety_setup() -> World:
    from patientvoice.safety import actions
    from patientvoice.safety.tests.factories import (
        HEADACHE_SV,
        case_for,
        officer,
        post_saying,
        signal,
    )

    person = officer()
    first = signal()
    patient = UserFactory.create()
    asked = signal(post=post_saying(HEADACHE_SV, author=patient))
    actions.send_follow_up(officer=person, signal=asked, asked_for=["patient"])
    return World(
        objects={
            "officer": person,
            "signal": first,
            "case": case_for(first, person),
            "asked": asked,
            "message": _message_of(patient),
        },
        clients={"officer": client_for(person, mfa=True), "patient": client_for(patient)},
    )


def _message_of(person: User) -> Any:
    from patientvoice.safety.models import SafetyMessage

    return SafetyMessage.objects.get(recipient=person)


def _safety_grow(world: World, count: int) -> None:
    """Per row: a signal with its case, and one more follow-up about the patient's
    signal (an attempt on it, a message to the patient)."""
    from patientvoice.safety import actions
    from patientvoice.safety.tests.factories import case_for, signal

    for _ in range(count):
        case_for(signal(), world["officer"])
        actions.send_follow_up(
            officer=world["officer"], signal=world["asked"], asked_for=["reaction"]
        )


def _safety_grown(world: World) -> dict[str, int]:
    from patientvoice.safety.models import FollowUpAttempt, SafetyMessage

    return {
        "messages to the patient": SafetyMessage.objects.filter(
            recipient=world["message"].recipient
        ).count(),
        "follow-ups of the signal": FollowUpAttempt.objects.filter(signal=world["asked"]).count(),
    }


def _stories_setup() -> World:
    from patientvoice.stories import actions
    from patientvoice.stories.tests.factories import StoryFactory

    author = UserFactory.create()
    story = StoryFactory.create(author=author)
    draft = actions.save_draft(
        author=author, draft=None, title="Half a story", body="", language="sv", community=None
    )
    return World(
        objects={"author": author, "story": story, "draft": draft, "conditions": []},
        clients={"visitor": client_for(None), "author": client_for(author)},
    )


def _stories_grow(world: World, count: int) -> None:
    """Per row: stories (the author's and others'), a comment on the author's story (a
    notice to them), a community the author joins (an audience their draft may choose)
    and a condition the draft is about."""
    from patientvoice.communities.tests.factories import CommunityFactory
    from patientvoice.directory.tests.factories import ConditionFactory
    from patientvoice.stories import actions
    from patientvoice.stories.tests.factories import CommentFactory, StoryFactory

    author = world["author"]
    for _ in range(count):
        StoryFactory.create(author=author)
        StoryFactory.create()
        CommentFactory.create(story=world["story"])
        CommunityFactory.create(members=[author])
        world["conditions"].append(ConditionFactory.create())
    actions.save_draft(
        author=author,
        draft=world["draft"],
        title="Half a story",
        body="",
        language="sv",
        community=None,
        conditions=world["conditions"],
    )


def _stories_grown(world: World) -> dict[str, int]:
    from patientvoice.stories.queries import notices_for

    return {
        "notices to the author": notices_for(world["author"]).count(),
        "conditions of the draft": world["draft"].conditions.count(),
    }


def _campaigns_setup() -> World:
    from patientvoice.campaigns import actions
    from patientvoice.campaigns.models import CampaignStatus
    from patientvoice.campaigns.tests.factories import (
        approved,
        make_campaign,
        new_account,
        staff_of,
    )

    campaign = make_campaign(status=CampaignStatus.VOTING)
    organiser = staff_of(campaign.organization)
    entrant, juror = new_account(), UserFactory.create()
    actions.add_juror(actor=None, campaign=campaign, user=juror)
    return World(
        objects={
            "campaign": campaign,
            "open": make_campaign(organization=campaign.organization),
            "submission": approved(campaign),
            "own": approved(campaign, entrant),
            "juror": juror,
            "criteria": [],
        },
        clients={
            "visitor": client_for(None),
            "organiser": client_for(organiser, mfa=True),
            "entrant": client_for(entrant),
            "juror": client_for(juror),
        },
    )


def _campaigns_grow(world: World, count: int) -> None:
    """Per row: an approved submission, another campaign of the organisation, and a
    criterion the juror has scored the submission against."""
    from patientvoice.campaigns import actions
    from patientvoice.campaigns.tests.factories import approved, criteria, make_campaign

    campaign = world["campaign"]
    for _ in range(count):
        approved(campaign)
        make_campaign(organization=campaign.organization)
        name = f"Criterion {len(world['criteria'])}"
        world.objects["criteria"] += criteria(campaign, **{name: 1})
    actions.score_submission(
        juror=world["juror"],
        submission=world["submission"],
        scores={criterion.pk: 5 for criterion in world["criteria"]},
    )


def _campaigns_grown(world: World) -> dict[str, int]:
    from patientvoice.campaigns.models import JuryScore

    return {
        "the juror's scores": JuryScore.objects.filter(
            submission=world["submission"], juror=world["juror"]
        ).count()
    }


SCENARIOS: dict[str, tuple[Callable[[], World], Callable[[World, int], None]]] = {
    "ambient": (_ambient_setup, _ambient_grow),
    "campaigns": (_campaigns_setup, _campaigns_grow),
    "community": (_community_setup, _community_grow),
    "moderation": (_moderation_setup, _moderation_grow),
    "notes": (_notes_setup, _notes_grow),
    "organisation": (_organisation_setup, _organisation_grow),
    "professionals": (_professionals_setup, _professionals_grow),
    "reports": (_reports_setup, _reports_grow),
    "provider": (_provider_setup, _provider_grow),
    "reviews": (_reviews_setup, _reviews_grow),
    "safety": (_safety_setup, _safety_grow),
    "sponsors": (_sponsors_setup, _sponsors_grow),
    "stories": (_stories_setup, _stories_grow),
}


def _notes_grown(world: World) -> dict[str, int]:
    from patientvoice.expertnotes.models import ExpertNoteRevision, NoteNotice

    return {
        "notices to the author": NoteNotice.objects.filter(
            recipient=world["target"].author
        ).count(),
        "earlier versions": ExpertNoteRevision.objects.filter(note=world["note"]).count(),
    }


def _provider_grown(world: World) -> dict[str, int]:
    from patientvoice.reviews.models import ReviewNotice, ReviewReply, ReviewReplyRevision

    return {
        "notices to the reviewer": ReviewNotice.objects.filter(recipient=world["reviewer"]).count(),
        "earlier versions of the reply": ReviewReplyRevision.objects.filter(
            reply=world["reply"]
        ).count(),
        "replies of the provider": ReviewReply.objects.filter(author=world["claim"].user).count(),
    }


# Settings a scenario needs: texts by a sponsor's staff are held for approval only in a
# sponsor-controlled deployment.
SETTINGS: dict[str, dict[str, Any]] = {"sponsors": {"PV_SPONSOR_CONTROLLED": True}}

# The rows each scenario must have grown to (at least LARGE): a list that did not grow,
# e.g. notices that an action sends after commit, would measure nothing.
GROWN: dict[str, Callable[[World], dict[str, int]]] = {
    "professionals": _professionals_grown,
    "provider": _provider_grown,
    "campaigns": _campaigns_grown,
    "reports": _reports_grown,
    "safety": _safety_grown,
    "sponsors": _sponsors_grown,
    "stories": _stories_grown,
    "notes": _notes_grown,
}


def _in(scenario: str) -> Callable[..., Budget]:
    def budget(name: str, reader: str, max_queries: int, *args: Any) -> Budget:
        return Budget(scenario, reader, url(name, *args), max_queries)

    return budget


def _api_in(scenario: str) -> Callable[..., Budget]:
    """An API list: ``path`` under /api/v1/ with "{}" filled from the world."""

    def budget(path: str, reader: str, max_queries: int, *args: Any) -> Budget:
        def build(world: World) -> str:
            return "/api/v1/" + path.format(*(arg(world) for arg in args)) + "?limit=100"

        return Budget(scenario, reader, build, max_queries)

    return budget


ambient, community, organisation = _in("ambient"), _in("community"), _in("organisation")
reviews, professionals, notes = _in("reviews"), _in("professionals"), _in("notes")
moderation, safety, stories, campaigns = (
    _in("moderation"),
    _in("safety"),
    _in("stories"),
    _in("campaigns"),
)
provider, reports, sponsors = _in("provider"), _in("reports"), _in("sponsors")
reviews_api, notes_api = _api_in("reviews"), _api_in("notes")

SLUG = obj("public", "slug")
PRIVATE_SLUG = obj("private", "slug")
THREAD = obj("thread", "public_id")
POST = obj("post", "public_id")
ORG = obj("organization", "slug")
DOCTOR = obj("doctor", "slug")
REVIEW = obj("review", "public_id")
TARGET = obj("target", "public_id")
STORY = obj("story", "public_id")
CAMPAIGN = obj("campaign", "slug")
SUBMISSION = obj("submission", "public_id")
NOTE = obj("note", "public_id")
UNTOUCHED = obj("untouched", "public_id")
PLACE = obj("place", "slug")
RATED = obj("rated", "public_id")
UNANSWERED = obj("unanswered", "public_id")
DISPUTE = obj("dispute", "public_id")
FRESH = obj("fresh", "public_id")
REPORT = obj("report", "public_id")
STATEMENT = obj("statement", "public_id")
APPEAL = obj("appeal", "public_id")


def ORG_OF_CAMPAIGN(world: World) -> str:
    return str(world["campaign"].organization.slug)


CAMPAIGN_PAGES = (
    "campaigns/tests/test_pages.py::"
    "test_pages_and_api_lists_ask_the_database_a_fixed_number_of_times"
)


# --- The registry ------------------------------------------------------------------

PAGES: dict[str, Entry] = {
    "healthz": Excluded("health check for the load balancer: one fixed probe, no page"),
    "robots_txt": Excluded("robots.txt: fixed text, no database"),
    "favicon.ico": REDIRECT,
    "media": DOWNLOAD,
    "api:openapi-json": Excluded("the API's schema, generated from code: no database"),
    "api:openapi-view": Excluded("Swagger UI shell for the schema: no database"),
    "api:api-root": Excluded("ninja's API root: no page of ours"),
    # core
    "home": Covered(
        "communities/tests/test_query_counts.py::test_home_page_has_a_fixed_query_count"
    ),
    "privacy": ambient("privacy", "member", 6),
    "terms": ambient("terms", "member", 6),
    "cookies": ambient("cookies", "member", 5),
    "accessibility": ambient("accessibility", "visitor", 0),
    "contact": ambient("contact", "visitor", 0),
    "crisis_help": ambient("crisis_help", "member", 5),
    # accounts
    "accounts:settings": ambient("accounts:settings", "member", 9),
    "accounts:profile_edit": ambient("accounts:profile_edit", "member", 5),
    "accounts:handle_edit": ambient("accounts:handle_edit", "member", 5),
    "accounts:consent": ambient("accounts:consent", "member", 7),
    "accounts:consent_withdraw": ambient("accounts:consent_withdraw", "member", 5),
    "accounts:data_export": Covered(
        "accounts/tests/test_export.py::test_export_makes_a_fixed_number_of_queries_however_many_posts"
    ),
    "accounts:delete": ambient("accounts:delete", "member", 5),
    "accounts:deleted": ambient("accounts:deleted", "visitor", 0),
    "accounts:erasure_pending": Excluded(
        "shown only to a person whose erasure is pending; others are redirected. Fixed text"
    ),
    "accounts:profile": ambient("accounts:profile", "member", 7, obj("member", "handle")),
    "api_tokens": Covered("api/tests/test_token_page.py::test_token_page_has_a_fixed_query_count"),
    "api_token_revoke": POST_ONLY,
    # notifications
    "notifications:list": Covered(
        "notifications/tests/test_centre.py::test_the_centre_has_a_fixed_query_count"
    ),
    "notifications:mark_all_read": POST_ONLY,
    "notifications:follow": POST_ONLY,
    "notifications:mark_read": POST_ONLY,
    "notifications:open": REDIRECT,
    "notifications:unsubscribe": Excluded(
        "a one-click unsubscribe link from an e-mail: one signed token, no list"
    ),
    "notifications:preferences": ambient("notifications:preferences", "member", 6),
    # communities
    "communities:list": Covered(
        "communities/tests/test_query_counts.py::test_community_list_has_a_fixed_query_count"
    ),
    "communities:latest": Covered(
        "communities/tests/test_query_counts.py::test_latest_page_has_a_fixed_query_count"
    ),
    "communities:detail": Covered(
        "communities/tests/test_query_counts.py::test_community_page_with_a_full_page_of_threads"
    ),
    "communities:join": POST_ONLY,
    "communities:leave": POST_ONLY,
    "communities:ask": community("communities:ask", "asker", 8, PRIVATE_SLUG),
    "communities:join_requests": community(
        "communities:join_requests", "moderator", 11, PRIVATE_SLUG
    ),
    "communities:members": Covered(
        "communities/tests/test_members.py::test_member_list_with_sixty_members_has_a_fixed_query_count"
    ),
    "communities:settings": community("communities:settings", "moderator", 10, SLUG),
    "communities:invitations": Covered(
        "communities/tests/test_invitations.py::test_the_invitations_page_lists_open_invitations_in_a_fixed_number_of_queries"
    ),
    "communities:invite": Excluded(
        "an invitation link: one invitation looked up by its token, no list"
    ),
    "communities:my_invitations": Covered(
        "communities/tests/test_invitations.py::test_the_invitations_of_a_person_are_listed_in_a_fixed_number_of_queries"
    ),
    "communities:answer_invitation": POST_ONLY,
    "communities:guidelines_edit": Covered(
        "communities/tests/test_guidelines_editing.py::test_the_page_costs_the_same_for_many_versions"
    ),
    "communities:thread_create": community("communities:thread_create", "member", 11, SLUG),
    "communities:thread": Covered(
        "communities/tests/test_query_counts.py::test_thread_page_with_fifty_posts"
    ),
    "communities:community_feed": Covered(
        "communities/tests/test_feeds.py::test_the_community_feed_costs_the_same_queries_for_many_threads"
    ),
    "communities:thread_feed": community("communities:thread_feed", "visitor", 3, SLUG, THREAD),
    "communities:reply": REDIRECT,  # GET goes to the thread's reply form
    "communities:first_unread": REDIRECT,
    "communities:best_answer": POST_ONLY,
    "communities:moderate": POST_ONLY,
    "communities:move": community("communities:move", "moderator", 10, SLUG, THREAD),
    "communities:post": REDIRECT,
    "communities:react": POST_ONLY,
    "communities:post_edit": community("communities:post_edit", "member", 7, SLUG, THREAD, POST),
    "communities:post_delete": community(
        "communities:post_delete", "member", 7, SLUG, THREAD, POST
    ),
    # organisations
    "organizations:manage": Covered(
        "organizations/tests/test_verification.py::test_the_staff_list_of_organisations_costs_the_same_for_many"
    ),
    # The forms below list nothing that grows (one organisation, sponsorship or sponsor);
    # measured while held texts, questions and sponsorships grow around them.
    "organizations:create": sponsors("organizations:create", "staff", 7),
    "organizations:funding": Covered(
        "organizations/tests/test_sponsorships.py::test_the_funding_page_asks_the_same_number_of_queries_for_many_sponsorships"
    ),
    "organizations:sponsorship_new": sponsors("organizations:sponsorship_new", "staff", 8),
    "organizations:sponsor_approvals": sponsors("organizations:sponsor_approvals", "staff", 8),
    "organizations:sponsor_approve": POST_ONLY,
    "organizations:sponsorship_end": sponsors(
        "organizations:sponsorship_end", "staff", 8, obj("sponsorship", "public_id")
    ),
    "organizations:medical_information_mine": sponsors(
        "organizations:medical_information_mine", "asker", 6
    ),
    "organizations:detail": Covered(
        "organizations/tests/test_organizations.py::test_organisation_page_costs_the_same_queries_for_many_communities"
    ),
    "organizations:medical_information_ask": sponsors(
        "organizations:medical_information_ask", "asker", 7, obj("sponsor", "slug")
    ),
    "organizations:edit": organisation("organizations:edit", "admin", 10, ORG),
    "organizations:verify": POST_ONLY,
    "organizations:staff": organisation("organizations:staff", "admin", 12, ORG),
    "organizations:staff_remove": POST_ONLY,
    # directory
    "directory:condition_list": Covered(
        "directory/tests/test_pages.py::test_the_condition_list_has_a_fixed_query_count"
    ),
    "directory:condition_detail": Covered(
        "directory/tests/test_pages.py::test_the_condition_page_has_a_fixed_query_count"
    ),
    "directory:condition_medicines": Covered(
        "reviews/tests/test_pages_ranking.py::test_the_full_ranked_list_pages_and_costs_the_same_queries_for_more_medicines"
    ),
    "directory:medicine_list": Covered(
        "directory/tests/test_pages_medicines.py::test_the_medicine_list_has_a_fixed_query_count"
    ),
    "directory:medicine_detail": Covered(
        "reviews/tests/test_pages_entry.py::test_the_page_costs_the_same_queries_with_25_or_40_reviews"
    ),
    "directory:suggest": ambient("directory:suggest", "member", 5),
    "directory:clinic_list": Covered(
        "directory/tests/test_pages_providers.py::test_the_clinic_list_has_a_fixed_query_count"
    ),
    "directory:clinic_detail": Covered(
        "reviews/tests/test_provider_replies.py::test_the_entry_page_query_count_does_not_grow_with_replies"
    ),
    "directory:physician_detail": reviews("directory:physician_detail", "visitor", 5, DOCTOR),
    # reviews
    "reviews:how": ambient("reviews:how", "visitor", 0),
    "reviews:write": reviews("reviews:write", "member", 9, lambda w: "physician", DOCTOR),
    "reviews:permalink": REDIRECT,
    "reviews:edit": reviews("reviews:edit", "author", 6, REVIEW),
    "reviews:withdraw": reviews("reviews:withdraw", "author", 6, REVIEW),
    # The provider's forms show one review or entry, nothing that grows: measured while the
    # clinic's replies, the reply's earlier versions and the reviewer's notices grow.
    "reviews:claim": provider("reviews:claim", "member", 7, lambda w: "clinic", PLACE),
    "reviews:claim_list": Covered(
        "reviews/tests/test_provider_revoke.py::test_the_claims_page_has_a_fixed_query_count"
    ),
    "reviews:claim_decide": POST_ONLY,
    "reviews:claim_revoke": POST_ONLY,
    "reviews:reply": provider("reviews:reply", "provider", 9, UNANSWERED),
    "reviews:reply_edit": provider("reviews:reply_edit", "provider", 10, RATED),
    "reviews:reply_helped": POST_ONLY,
    "reviews:reply_change": provider("reviews:reply_change", "reviewer", 7, RATED),
    "reviews:dispute": provider("reviews:dispute", "provider", 8, UNANSWERED),
    "reviews:dispute_context": provider("reviews:dispute_context", "reviewer", 7, DISPUTE),
    "reviews:dispute_ask": POST_ONLY,
    "reviews:notices": provider("reviews:notices", "reviewer", 7),
    # professionals
    "professionals:status": ambient("professionals:status", "member", 11),
    "professionals:apply": ambient("professionals:apply", "member", 9),
    "professionals:card": Covered(
        "professionals/tests/test_card.py::test_the_card_costs_two_queries"
    ),
    "professionals:notices_read": POST_ONLY,
    "professionals:withdraw": POST_ONLY,
    "professionals:queue": Covered(
        "professionals/tests/test_verify.py::test_the_queue_asks_the_same_number_of_queries_for_many_requests"
    ),
    "professionals:credentials": professionals("professionals:credentials", "verifier", 11),
    # Lists up to ten other requests of the applicant; not grown here (one pending
    # request per applicant).
    "professionals:request_detail": professionals(
        "professionals:request_detail", "verifier", 13, obj("pending", "public_id")
    ),
    "professionals:decide": POST_ONLY,
    "professionals:recheck": POST_ONLY,
    "professionals:evidence": DOWNLOAD,
    "professionals:revoke": professionals(
        "professionals:revoke", "staff", 9, obj("credential", "public_id")
    ),
    "professionals:questions": Covered(
        "professionals/tests/test_question_queue.py::test_the_queue_has_a_fixed_query_count"
    ),
    "professionals:ask": professionals("professionals:ask", "asker", 7, obj("thread", "public_id")),
    "professionals:adviser_roles": professionals("professionals:adviser_roles", "nurse", 7),
    "professionals:adviser_accept": POST_ONLY,
    "professionals:adviser_decline": POST_ONLY,
    "professionals:adviser_end": POST_ONLY,
    "professionals:organisation_advisers": organisation(
        "professionals:organisation_advisers", "admin", 12, ORG
    ),
    # expert notes
    "expertnotes:notices": notes("expertnotes:notices", "author", 6),
    "expertnotes:notices_read": POST_ONLY,
    # The note forms show one target and one note (its sources are at most eight):
    # nothing grows; measured while the target's notes and the note's versions grow.
    "expertnotes:add": notes("expertnotes:add", "writer", 11, lambda w: "post", UNTOUCHED),
    "expertnotes:target": notes("expertnotes:target", "visitor", 4, lambda w: "post", TARGET),
    "expertnotes:edit": notes("expertnotes:edit", "writer", 11, NOTE),
    "expertnotes:history": notes("expertnotes:history", "writer", 9, NOTE),
    "expertnotes:helpful": POST_ONLY,
    "expertnotes:reply": notes("expertnotes:reply", "author", 9, NOTE),
    # search
    "search:search": Covered(
        "search/tests/test_pages.py::test_the_search_page_costs_a_fixed_number_of_queries"
    ),
    # moderation
    # One post, report, statement or appeal each: nothing listed grows; measured while
    # the report's case gathers reports and the author's appeals pile up.
    "moderation:flag": reports("moderation:flag", "reader", 11, lambda w: "post", FRESH),
    "moderation:my_reports": Covered(
        "moderation/tests/test_member_reports.py::test_the_list_is_paginated_with_a_fixed_number_of_queries"
    ),
    "moderation:my_report": reports("moderation:my_report", "reader", 7, REPORT),
    "moderation:notice": ambient("moderation:notice", "visitor", 0),
    "moderation:notice_sent": Excluded(
        "the reference of a notice just sent, from the session; otherwise a redirect"
    ),
    "moderation:my_decisions": Covered(
        "moderation/tests/test_member_decisions.py::test_the_list_is_paginated_with_a_fixed_number_of_queries"
    ),
    "moderation:my_decision": reports("moderation:my_decision", "author", 6, STATEMENT),
    "moderation:queue_appeals": Covered(
        "moderation/tests/test_queue_pages.py::test_the_appeals_log_and_member_pages_cost_the_same_for_1_or_8_records"
    ),
    "moderation:queue_appeal": reports("moderation:queue_appeal", "second", 10, APPEAL),
    "moderation:queue_member": Covered(
        "moderation/tests/test_queue_pages.py::test_the_appeals_log_and_member_pages_cost_the_same_for_1_or_8_records"
    ),
    "moderation:queue_log": Covered(
        "moderation/tests/test_queue_pages.py::test_the_appeals_log_and_member_pages_cost_the_same_for_1_or_8_records"
    ),
    "moderation:queue_trusted_flaggers": moderation(
        "moderation:queue_trusted_flaggers", "staff", 8
    ),
    "moderation:queue": Covered(
        "moderation/tests/test_queue_pages.py::test_the_queue_page_costs_the_same_number_of_queries_for_3_or_30_items"
    ),
    "moderation:queue_bulk": POST_ONLY,
    "moderation:queue_case": Covered(
        "moderation/tests/test_queue_pages.py::test_the_case_page_costs_the_same_with_1_or_12_reports"
    ),
    "moderation:queue_claim": POST_ONLY,
    "moderation:queue_release": POST_ONLY,
    "moderation:queue_assign": POST_ONLY,
    "moderation:transparency": ambient("moderation:transparency", "visitor", 16),
    "moderation:transparency_export": Excluded(
        "CSV of the same aggregate counts as the transparency page (measured there)"
    ),
    # safety
    "safety:queue": Covered(
        "safety/tests/test_pages.py::test_the_queue_costs_the_same_number_of_queries_for_3_or_25_signals"
    ),
    "safety:signal": safety("safety:signal", "officer", 12, obj("signal", "public_id")),
    # The follow-up and case forms show one signal, a message page one message: nothing
    # grows; measured while the signal's follow-ups and the patient's messages grow.
    "safety:follow_up": safety("safety:follow_up", "officer", 10, obj("asked", "public_id")),
    "safety:case_new": safety("safety:case_new", "officer", 12, obj("asked", "public_id")),
    "safety:cases": safety("safety:cases", "officer", 10),
    "safety:case": safety("safety:case", "officer", 12, obj("case", "public_id")),
    "safety:case_close": POST_ONLY,
    "safety:case_e2b": DOWNLOAD,
    "safety:cases_export": POST_ONLY,
    "safety:messages": safety("safety:messages", "patient", 7),
    "safety:message": safety("safety:message", "patient", 8, obj("message", "public_id")),
    # stories
    "stories:list": Covered(
        "stories/tests/test_pages.py::test_the_list_costs_the_same_queries_for_five_or_fifteen_stories"
    ),
    "stories:feed": stories("stories:feed", "visitor", 2),
    "stories:write": ambient("stories:write", "member", 7),
    "stories:autosave": POST_ONLY,
    "stories:mine": stories("stories:mine", "author", 7),
    "stories:notices": stories("stories:notices", "author", 7),
    # A draft's form lists the author's communities (audiences) and the draft's
    # conditions, both grown.
    "stories:draft": stories("stories:draft", "author", 9, obj("draft", "public_id")),
    "stories:draft_delete": stories("stories:draft_delete", "author", 6, obj("draft", "public_id")),
    "stories:guest_comment": Excluded("a guest's comment link from an e-mail: one signed token"),
    "stories:permalink": REDIRECT,
    "stories:edit": stories("stories:edit", "author", 8, STORY),
    "stories:delete": stories("stories:delete", "author", 6, STORY),
    "stories:feature": POST_ONLY,
    "stories:comment": POST_ONLY,
    "stories:detail": Covered(
        "stories/tests/test_pages.py::test_the_story_page_costs_the_same_queries_for_two_or_twelve_comments"
    ),
    # campaigns
    "campaigns:list": Covered(CAMPAIGN_PAGES + "[list]"),
    "campaigns:organization": campaigns("campaigns:organization", "visitor", 3, ORG_OF_CAMPAIGN),
    "campaigns:create": campaigns("campaigns:create", "organiser", 10, ORG_OF_CAMPAIGN),
    "campaigns:detail": Covered(CAMPAIGN_PAGES + "[detail]"),
    "campaigns:submit": campaigns("campaigns:submit", "entrant", 6, obj("open", "slug")),
    "campaigns:gallery": Covered(CAMPAIGN_PAGES + "[gallery]"),
    "campaigns:results": Covered(CAMPAIGN_PAGES + "[results]"),
    "campaigns:edit": campaigns("campaigns:edit", "organiser", 10, CAMPAIGN),
    "campaigns:advance": POST_ONLY,
    # 14 since the scenario has a juror and criteria to list (13 with an empty jury).
    "campaigns:jury": campaigns("campaigns:jury", "organiser", 14, CAMPAIGN),
    "campaigns:held_votes": Covered(
        "campaigns/tests/test_fair_rules.py::test_the_held_votes_page_costs_the_same_queries_for_many_votes"
    ),
    "campaigns:submission": campaigns("campaigns:submission", "visitor", 2, CAMPAIGN, SUBMISSION),
    "campaigns:vote": POST_ONLY,
    "campaigns:withdraw": campaigns(
        "campaigns:withdraw", "entrant", 7, CAMPAIGN, obj("own", "public_id")
    ),
    # Lists every criterion with the juror's score: 3 and 12 criteria, all scored.
    "campaigns:score": campaigns("campaigns:score", "juror", 10, CAMPAIGN, SUBMISSION),
    "campaigns:submission_file": DOWNLOAD,
}

A = "GET /api/v1/"
API: dict[str, Entry] = {
    A + "me": API_ONE,
    A + "profiles/{handle}": API_ONE,
    A + "me/consents": Excluded("the person's few consent purposes: one query, a fixed set"),
    A + "me/export": Covered(
        "accounts/tests/test_export.py::test_export_makes_a_fixed_number_of_queries_however_many_posts"
    ),
    A + "me/tokens": Covered("api/tests/test_lists.py::test_token_list_has_a_fixed_query_count"),
    A + "communities": Covered(
        "api/tests/test_lists.py::test_community_list_for_a_member_has_a_fixed_query_count"
    ),
    A + "communities/{slug}": API_ONE,
    A + "communities/{slug}/threads": Covered(
        "api/tests/test_lists.py::test_thread_list_has_a_fixed_query_count"
    ),
    A + "communities/{slug}/threads/{thread_id}/posts": Covered(
        "communities/tests/test_api_writes.py::test_api_post_list_with_replies_has_a_fixed_query_count"
    ),
    A + "conditions": Covered(
        "directory/tests/test_search.py::test_the_api_list_has_a_fixed_query_count"
    ),
    A + "conditions/{slug}": API_ONE,
    A + "medicines": Covered(
        "api/tests/test_directory_api.py::test_the_medicine_list_has_a_fixed_query_count_and_searches_names"
    ),
    A + "medicines/{slug}": API_ONE,
    A + "conditions/{slug}/medicines": Covered(
        "api/tests/test_directory_api.py::test_medicines_for_a_condition_are_ranked_by_adjusted_score"
    ),
    A + "clinics": Covered(
        "api/tests/test_directory_api.py::test_the_clinic_list_filters_by_region_and_kind_with_a_fixed_query_count"
    ),
    A + "clinics/{slug}": API_ONE,
    A + "physicians": Covered(
        "api/tests/test_directory_api.py::test_the_physician_list_searches_name_and_specialty_with_a_fixed_query_count"
    ),
    A + "physicians/{slug}": API_ONE,
    A + "medicines/{slug}/reviews": Covered(
        "api/tests/test_reviews_api.py::test_an_entrys_review_list_has_a_fixed_query_count"
    ),
    A + "physicians/{slug}/reviews": reviews_api("physicians/{}/reviews", "visitor", 3, DOCTOR),
    A + "clinics/{slug}/reviews": Covered(
        "api/tests/test_reviews_api.py::test_a_signed_in_members_review_list_has_a_fixed_query_count"
    ),
    A + "reviews/{public_id}": API_ONE,
    A + "organisations": Covered(
        "organizations/tests/test_api.py::test_the_list_has_a_fixed_query_count"
    ),
    A + "organisations/{slug}": API_ONE,
    A + "organisations/{slug}/staff": Covered(
        "organizations/tests/test_api.py::test_an_administrator_reads_the_staff_list"
    ),
    A + "funding": API_ONE,
    A + "notifications/subscriptions": Covered(
        "notifications/tests/test_api.py::test_the_subscriptions_list_has_a_fixed_query_count"
    ),
    A + "notifications": Covered(
        "notifications/tests/test_api.py::test_the_list_has_the_persons_notifications_with_a_fixed_query_count"
    ),
    A + "notifications/unread-count": Excluded("one number, read from a counter"),
    A + "search": Covered(
        "search/tests/test_pages.py::test_the_api_costs_a_fixed_number_of_queries"
    ),
    A + "flags": Covered(
        "moderation/tests/test_api_members.py::test_my_flags_lists_only_mine_newest_first_with_a_fixed_query_count"
    ),
    A + "moderation/statements": Covered(
        "moderation/tests/test_api_members.py::test_a_member_lists_their_statements_only_with_a_fixed_query_count"
    ),
    A + "moderation/statements/{public_id}": API_ONE,
    A + "moderation/cases": Covered(
        "moderation/tests/test_api_moderators.py::test_the_queue_costs_the_same_number_of_queries_however_long"
    ),
    A + "moderation/cases/{public_id}": Covered(
        "moderation/tests/test_api_moderators.py::test_a_case_costs_the_same_number_of_queries_however_many_reports"
    ),
    A + "moderation/appeals": Covered(
        "moderation/tests/test_api_moderators.py::test_the_appeal_queue_costs_the_same_number_of_queries_however_long"
    ),
    A + "reviews/{public_id}/reply": API_ONE,
    A + "provider-claims": Covered(
        "api/tests/test_reviews_provider_api.py::test_the_claims_list_has_a_fixed_query_count"
    ),
    A + "provider-claims/queue": Covered(
        "reviews/tests/test_provider_claims_api.py::test_the_staff_queue_has_a_fixed_query_count"
    ),
    A + "professionals/me/requests": Covered(
        "professionals/tests/test_api.py::test_own_requests_and_credential"
    ),
    A + "professionals/me/credential": API_ONE,
    A + "professionals/verification-requests": Covered(
        "professionals/tests/test_api.py::test_a_verifier_lists_and_decides_in_a_two_step_session"
    ),
    A + "professionals/verification-requests/{public_id}": API_ONE,
    A + "profiles/{handle}/credential": API_ONE,
    A + "professionals/questions": Covered(
        "professionals/tests/test_questions_api.py::test_the_queue_costs_the_same_queries_for_many_questions"
    ),
    A + "organisations/{slug}/advisers": Covered(
        "professionals/tests/test_advisers_api.py::test_the_advisers_list_costs_the_same_queries_for_many_roles"
    ),
    A + "professionals/me/adviser-roles": Excluded(
        "a professional's few adviser roles: own_adviser_roles, one query joining the "
        "community and organisation (the page's read too)"
    ),
    A + "notes/targets/{kind}/{public_id}": notes_api(
        "notes/targets/post/{}", "visitor", 4, TARGET
    ),
    A + "safety/signals": Covered(
        "safety/tests/test_api_safety.py::test_the_signal_list_costs_the_same_number_of_queries_however_long"
    ),
    A + "safety/signals/{public_id}": API_ONE,
    A + "safety/cases": Covered(
        "safety/tests/test_api_safety.py::test_the_case_list_costs_the_same_number_of_queries_however_long"
    ),
    A + "safety/cases/{public_id}": API_ONE,
    A + "safety/cases/{public_id}/e2b": DOWNLOAD,
    A + "stories": Covered(
        "stories/tests/test_api.py::test_the_list_costs_the_same_queries_for_three_or_twelve_stories"
    ),
    A + "stories/{public_id}": API_ONE,
    A + "stories/{public_id}/comments": Covered(
        "stories/tests/test_api.py::test_the_comment_list_costs_the_same_queries_for_few_or_many"
    ),
    A + "campaigns": Covered(CAMPAIGN_PAGES + "[api_list]"),
    A + "campaigns/{slug}": API_ONE,
    A + "campaigns/{slug}/submissions": Covered(CAMPAIGN_PAGES + "[api_subs]"),
}

REGISTRY: dict[str, Entry] = {**PAGES, **API}


def entry_for(key: str) -> Entry | None:
    return REGISTRY.get(key) or rule_for(key)


def every_route() -> dict[str, str]:
    routes = page_routes()
    routes.update({key: key.removeprefix("GET ") for key in api_get_operations()})
    return routes


def test_every_route_has_a_budget_entry() -> None:
    missing = sorted(key for key in every_route() if entry_for(key) is None)

    assert not missing, (
        "These GET routes have no query budget. Add each to REGISTRY in "
        "patientvoice/core/tests/test_query_budgets.py: a Budget measured in a scenario "
        "there, Covered('<app>/tests/test_x.py::test_name') for an app's own budget "
        "test, or Excluded('why'):\n  " + "\n  ".join(missing)
    )


def test_the_registry_names_no_route_that_is_gone() -> None:
    routes = every_route()

    assert sorted(set(REGISTRY) - set(routes)) == []


def test_every_covered_route_points_to_a_test_that_counts_queries() -> None:
    problems = [
        problem_with_covered(entry.test)
        for entry in REGISTRY.values()
        if isinstance(entry, Covered)
    ]

    assert [p for p in problems if p] == []


@pytest.mark.django_db
def test_post_only_routes_refuse_get() -> None:
    routes = page_routes()
    client = client_for(StaffFactory.create(), mfa=True)

    answers = {
        key: client.get(fill_route(routes[key])).status_code
        for key, entry in REGISTRY.items()
        if entry is POST_ONLY
    }

    assert {key: status for key, status in answers.items() if status != 405} == {}


def _budgets_of(scenario: str) -> dict[str, Budget]:
    return {
        key: entry
        for key, entry in REGISTRY.items()
        if isinstance(entry, Budget) and entry.scenario == scenario
    }


def test_every_budget_has_a_scenario() -> None:
    used = {e.scenario for e in REGISTRY.values() if isinstance(e, Budget)}

    assert used <= set(SCENARIOS)


@pytest.mark.django_db
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_pages_cost_the_same_queries_for_few_and_many_rows(scenario: str, settings: Any) -> None:
    settings.PV_PAGE_CACHE = False  # measure the view, never a stored page
    for name, value in SETTINGS.get(scenario, {}).items():
        setattr(settings, name, value)
    setup, grow = SCENARIOS[scenario]
    budgets = _budgets_of(scenario)
    world = _after_commit(setup)

    _after_commit(lambda: grow(world, SMALL))
    few = {key: _measure(world, b) for key, b in budgets.items()}
    _after_commit(lambda: grow(world, LARGE - SMALL))
    many = {key: _measure(world, b) for key, b in budgets.items()}

    grew = {key: (few[key], many[key]) for key in budgets if few[key] != many[key]}
    over = {
        key: (many[key], b.max_queries) for key, b in budgets.items() if many[key] > b.max_queries
    }
    too_few = {
        what: rows for what, rows in GROWN.get(scenario, _nothing)(world).items() if rows < LARGE
    }
    assert too_few == {}, f"the scenario did not grow these lists to {LARGE} rows: {too_few}"
    assert grew == {}, f"queries grew with the rows ({SMALL} -> {LARGE}): {grew}"
    assert over == {}, f"over budget (measured, max): {over}"


def _after_commit[T](make: Callable[[], T]) -> T:
    """``make()`` with what the actions defer to after commit run as in production
    (notices, e-mails, indexing): pytest's transaction never commits, so without this
    a page of notices would be measured empty."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return make()


def _nothing(world: World) -> dict[str, int]:
    return {}


def _measure(world: World, budget: Budget) -> int:
    return count_queries(
        world.clients[budget.reader], budget.url(world), expected_status=budget.status
    )
