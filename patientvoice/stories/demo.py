"""The demo's stories (``seed_demo_stories``, called by ``seed_demo``): four stories in
Swedish and English by seed_demo's members, one told to a members-only community, one
featured by Diabetesföreningen Norr, with comments, a reply and one visitor's comment
waiting for a moderator. Idempotent: a story is found by its title."""

from __future__ import annotations

from typing import Any

from patientvoice.accounts.models import User
from patientvoice.communities import actions as community_actions
from patientvoice.communities.models import Community
from patientvoice.directory.models import Condition
from patientvoice.organizations.models import Organization

from . import actions
from .models import Story, StoryComment

# seed_demo's members log in at <key>@demo.patientvoice.local (core's seed_demo).
DOMAIN = "demo.patientvoice.local"

STORIES: list[dict[str, Any]] = [
    {
        "author": "anna",
        "language": "sv",
        "title": "Tolv år med reumatoid artrit – det jag önskar att någon sagt till mig",
        "conditions": ["reumatoid-artrit"],
        "featured_by": "ledstod",
        "body": (
            "När jag fick diagnosen var jag 34 år och hade två små barn. Jag trodde att "
            "livet var slut. Det var det inte, men det blev annorlunda.\n\n"
            "**Det första året** handlade om att hitta rätt behandling. Det tog tre "
            "försök. Jag önskar att någon hade sagt till mig att det är vanligt, och att "
            "det inte betyder att något är fel på mig.\n\n"
            "**Tröttheten** är fortfarande det svåraste. Jag har lärt mig att planera "
            "veckan efter den: tunga saker på förmiddagen, vila efter lunch.\n\n"
            "**Det som hjälpte mest** var att prata med andra som har RA. Därför skriver "
            "jag det här."
        ),
        "comments": [
            ("erik", "Tack för att du delar. Det där om att planera veckan känner jag igen."),
            ("maria", "Så fint skrivet. Jag ska visa det här för min mamma som just fått RA."),
        ],
        "reply": ("anna", "Tack Maria! Hon får gärna skriva till mig här."),
        "guest": (
            "Birgitta",
            "birgitta@example.org",
            "Jag fick diagnosen förra månaden och det här gav mig hopp. Tack.",
        ),
    },
    {
        "author": "sam",
        "language": "en",
        "title": "The day chemo ended, and the weeks nobody warned me about",
        "conditions": ["brostcancer"],
        "body": (
            "Everyone celebrates the last day of chemotherapy. I rang the bell, my family "
            "cried, and I went home.\n\n"
            "Then came the weeks nobody had warned me about. I was not sick any more, but "
            "I was not well either. The support that had carried me went quiet.\n\n"
            "If you are there now: it is normal, it passes, and it is fine to ask your "
            "team for help after treatment too."
        ),
        "comments": [
            ("james", "My dad said exactly this. Thank you for putting it into words."),
        ],
    },
    {
        "author": "erik",
        "language": "sv",
        "title": "Maraton med typ 1-diabetes",
        "conditions": ["typ-1-diabetes"],
        "body": (
            "Jag sprang mitt första maraton förra året, 25 år efter diagnosen. Det gick "
            "att göra, men det krävde planering: en sensor som satt kvar, druvsocker i "
            "varje ficka och en plan för sänkt basaldos."
        ),
        "comments": [],
    },
    {
        "author": "maria",
        "language": "sv",
        "title": "Första natten hemma efter diagnosen",
        "conditions": ["typ-1-diabetes"],
        "community": "anhoriga-diabetes",
        "body": (
            "Den första natten hemma efter sjukhuset sov jag inte alls. Jag kontrollerade "
            "sockret var timme. Till er som är där nu: det blir lättare, och ni kommer "
            "att lära er lita på sensorn."
        ),
        "comments": [],
    },
]


def _member(key: str) -> User | None:
    return User.objects.filter(email=f"{key}@{DOMAIN}").first()


def seed_demo_stories() -> None:
    """Add the demo stories once (a story whose author is missing is left out)."""
    conditions = {c.slug: c for c in Condition.objects.all()}
    for spec in STORIES:
        author = _member(spec["author"])
        if author is None or Story.objects.filter(title=spec["title"]).exists():
            continue
        community = None
        if spec.get("community"):
            community = Community.objects.filter(slug=spec["community"]).first()
            if community is None:
                continue
            community_actions.join_community(user=author, community=community)
        draft = actions.save_draft(
            author=author,
            draft=None,
            title=spec["title"],
            body=spec["body"],
            language=spec["language"],
            community=community,
            conditions=[conditions[s] for s in spec["conditions"] if s in conditions],
        )
        story = actions.publish_draft(author=author, draft=draft).content
        assert isinstance(story, Story)
        _comments(story, spec)
        organization = Organization.objects.filter(slug=spec.get("featured_by", "")).first()
        if organization is not None:
            actions.feature_story(actor=None, story=story, organization=organization)


def _comments(story: Story, spec: dict[str, Any]) -> None:
    first: StoryComment | None = None
    for key, body in spec["comments"]:
        person = _member(key)
        if person is None:
            continue
        comment = actions.comment_as_member(
            author=person, story=story, body=body, language=spec["language"]
        ).content
        assert isinstance(comment, StoryComment)
        first = first or comment
    reply = spec.get("reply")
    person = _member(reply[0]) if reply else None
    if reply and person is not None and first is not None:
        actions.comment_as_member(
            author=person, story=story, body=reply[1], language=spec["language"], parent=first
        )
    guest = spec.get("guest")
    if guest:
        name, email, body = guest
        actions.comment_as_guest(
            story=story, name=name, email=email, body=body, language=spec["language"]
        )
