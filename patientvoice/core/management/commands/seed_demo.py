"""Load demo data: organisations, communities, members and discussions in Swedish and
English, tagged with conditions. Idempotent: running it twice changes nothing.
``--if-empty`` does nothing when the database already has people in it (used by
``make run``)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.models import User
from patientvoice.campaigns.demo import seed_demo_campaigns
from patientvoice.communities import actions as community_actions
from patientvoice.communities.demo import seed_demo_thread_tools
from patientvoice.communities.demo_covers import seed_demo_covers, seed_demo_invitation
from patientvoice.communities.models import Community, Thread, Visibility
from patientvoice.directory.models import Condition
from patientvoice.expertnotes.demo import seed_demo_notes
from patientvoice.moderation.demo import seed_demo_moderation
from patientvoice.notifications.demo import seed_demo_notifications
from patientvoice.organizations import actions as org_actions
from patientvoice.organizations.demo import seed_demo_logos
from patientvoice.organizations.models import Organization, OrganizationKind
from patientvoice.professionals.demo import seed_demo_professionals
from patientvoice.reviews.demo import seed_demo_reviews
from patientvoice.safety.demo import seed_demo_safety
from patientvoice.stories.demo import seed_demo_stories

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - documented demo login, local only
DEMO_DOMAIN = "demo.patientvoice.local"

ORGANIZATIONS = [
    ("ledstod", "Ledstöd – förbundet för ledsjuka", OrganizationKind.ADVOCACY,
     "Patientförening för personer med reumatoid artrit, artros och andra ledsjukdomar.",
     "https://ledstod.example.org"),
    ("diabetes-norr", "Diabetesföreningen Norr", OrganizationKind.ADVOCACY,
     "Stöd och kunskap för vuxna med typ 1- och typ 2-diabetes och deras anhöriga.",
     "https://diabetesnorr.example.org"),
    ("cancer-together", "Cancer Together Europe", OrganizationKind.ADVOCACY,
     "A European network of people living with cancer and those who care for them.",
     "https://cancertogether.example.org"),
]  # fmt: skip

# Contact, registration and funding, as an organisation would state them on its page.
ORGANIZATION_DETAILS: dict[str, dict[str, str]] = {
    "ledstod": {
        "language": "sv",
        "contact_email": "kansli@ledstod.example.org",
        "registration_number": "802000-0000",
        "funding": "Medlemsavgifter (60 %), statsbidrag till funktionshindersorganisationer "
        "(30 %) och gåvor från privatpersoner (10 %). Vi tar inte emot pengar från "
        "läkemedelsföretag.",
    },
    "diabetes-norr": {
        "language": "sv",
        "contact_email": "info@diabetesnorr.example.org",
        "registration_number": "802000-0001",
        "funding": "Medlemsavgifter och bidrag från Region Norr. Gemenskapen för anhöriga "
        "får ett projektbidrag från en stiftelse för barns hälsa.",
    },
    "cancer-together": {
        "language": "en",
        "contact_email": "hello@cancertogether.example.org",
        "registration_number": "BE 0000.000.000",
        "funding": "Member organisations' fees and an EU operating grant. Sponsors never "
        "see who our members are and have no say over what is published.",
    },
}

COMMUNITIES = [
    ("reumatoid-artrit", "ledstod", "Reumatoid artrit", Visibility.PUBLIC, "sv",
     "Här pratar vi om att leva med RA: behandlingar, trötthet, jobb och vardag."),
    ("diabetes-typ-1", "diabetes-norr", "Diabetes typ 1", Visibility.PUBLIC, "sv",
     "För dig som har typ 1-diabetes eller är anhörig. Sensorer, pumpar, träning och mat."),
    ("anhoriga-diabetes", "diabetes-norr", "Anhöriga till barn med diabetes",
     Visibility.MEMBERS, "sv",
     "Ett slutet rum för föräldrar och andra anhöriga till barn med diabetes."),
    ("breast-cancer", "cancer-together", "Breast cancer", Visibility.PUBLIC, "en",
     "Diagnosis, treatment, side effects and life after treatment: ask and share."),
    ("caregivers-circle", "cancer-together", "Caregivers' circle", Visibility.PRIVATE, "en",
     "A private group for people caring for someone with cancer."),
]  # fmt: skip

# Condition tags (slugs from directory/data/conditions.csv, loaded by a migration).
COMMUNITY_CONDITIONS = {
    "reumatoid-artrit": ["reumatoid-artrit"],
    "diabetes-typ-1": ["typ-1-diabetes"],
    "anhoriga-diabetes": ["typ-1-diabetes", "typ-2-diabetes"],
    "breast-cancer": ["brostcancer"],
    "caregivers-circle": ["brostcancer", "lungcancer", "tjocktarmscancer", "prostatacancer"],
}

_GUIDELINES_SV = """\
{welcome}

- **Var vänlig.** Vi har olika erfarenheter och gör olika val. Kritisera idéer, inte människor.
- **Erfarenheter, inte ordinationer.** Det du läser här ersätter inte vården. Prata med \
din läkare eller sjuksköterska innan du ändrar en behandling. Vid akuta besvär: ring 112. \
Behöver du råd: ring 1177.
- **Skydda andras integritet.** Skriv inte namn, personnummer, telefonnummer eller \
andra uppgifter om andra personer, inte heller om vårdpersonal.
- **Ingen reklam.** Inga annonser, säljlänkar eller värvning till studier utan \
moderatorernas tillstånd.

Moderatorerna kan hålla inne eller ta bort inlägg som bryter mot riktlinjerna."""

_GUIDELINES_EN = """\
{welcome}

- **Be kind.** We have different experiences and make different choices. Question \
ideas, not people.
- **Experiences, not prescriptions.** Nothing here replaces care. Talk to your doctor \
or nurse before you change a treatment. In an emergency, call 112.
- **Protect other people's privacy.** Do not post names, phone numbers or other \
personal details of anyone else, health professionals included.
- **No advertising.** No ads, sales links or recruiting for studies without the \
moderators' permission.

Moderators may hold or remove posts that break these guidelines."""

# Each community's guidelines, in its language (published once; re-running is a no-op).
COMMUNITY_GUIDELINES = {
    "reumatoid-artrit": _GUIDELINES_SV.format(
        welcome="Välkommen! Här delar vi erfarenheter av att leva med reumatoid artrit."
    ),
    "diabetes-typ-1": _GUIDELINES_SV.format(
        welcome="Välkommen! Här delar vi erfarenheter av att leva med typ 1-diabetes."
    ),
    "anhoriga-diabetes": _GUIDELINES_SV.format(
        welcome="Välkommen! Här stöttar vi varandra som anhöriga till barn med diabetes. "
        "Det som skrivs här stannar bland medlemmarna."
    ),
    "breast-cancer": _GUIDELINES_EN.format(
        welcome="Welcome! This is a place to share what living with breast cancer is like."
    ),
    "caregivers-circle": _GUIDELINES_EN.format(
        welcome="Welcome! This is a circle for people caring for someone with cancer. "
        "What is written here stays among members."
    ),
}

MEMBERS = [
    ("anna", "Anna_R", "patient", "sv", "Har haft RA i tolv år. Gillar skog och stickning."),
    ("erik", "ErikT1D", "patient", "sv", "Typ 1 sedan 1998. Springer gärna långt."),
    ("maria", "mammaMaria", "caregiver", "sv", "Mamma till en tioåring med diabetes."),
    ("sam", "sam.w", "patient", "en", "Diagnosed in 2023, finished chemo last spring."),
    ("lena", "Lena_sjukskoterska", "professional", "sv", "Sjuksköterska inom reumatologi."),
    ("james", "JamesCares", "caregiver", "en", "Looking after my dad."),
]  # fmt: skip

THREADS: list[dict[str, Any]] = [
    {
        "community": "reumatoid-artrit",
        "author": "anna",
        "language": "sv",
        "title": "Hur hanterar ni tröttheten?",
        "conditions": ["reumatoid-artrit", "me-cfs"],
        "body": "Jag har haft RA länge och lederna är lugnare nu med behandlingen, men "
        "tröttheten är det svåraste. Vissa dagar orkar jag inte mer än jobbet. "
        "Vad har hjälpt er?",
        "replies": [
            (
                "erik",
                "Inte RA, men jag känner igen tröttheten från diabetesen. Korta promenader "
                "varje dag har hjälpt mig mer än jag trodde.",
            ),
            (
                "lena",
                "Trötthet (fatigue) är mycket vanligt vid RA, även när inflammationen är "
                "under kontroll. Ta upp det med din reumatolog – ibland finns det andra orsaker, "
                "som blodbrist, som går att behandla.",
            ),
            (
                "anna",
                "Tack båda! Jag ska fråga om blodvärdet vid nästa besök, och om tröttheten "
                "kan vara en biverkning av medicinen.",
            ),
        ],
    },
    {
        "community": "reumatoid-artrit",
        "author": "lena",
        "language": "sv",
        "title": "Frågor inför första besöket hos reumatologen",
        "conditions": ["reumatoid-artrit"],
        "body": "Många undrar vad de ska fråga vid första besöket. Skriv gärna en lista "
        "innan: vilka leder som värker, hur länge morgonstelheten varar och vilka "
        "läkemedel du redan tar.",
        "replies": [("anna", "Bra tips. Jag önskar att jag hade haft en lista första gången.")],
    },
    {
        "community": "diabetes-typ-1",
        "author": "erik",
        "language": "sv",
        "title": "Sensor som lossnar när man tränar",
        "conditions": ["typ-1-diabetes"],
        "body": "Min sensor lossnar nästan varje gång jag springer långt i värmen. "
        "Någon som har ett bra knep? Jag har testat extra tejp.",
        "replies": [
            (
                "maria",
                "Vi använder ett överdrag av elastisk tejp på vår dotter, och tvättar "
                "huden med tvål och låter den torka ordentligt först.",
            ),
        ],
    },
    {
        "community": "anhoriga-diabetes",
        "author": "maria",
        "language": "sv",
        "title": "Skolan och insulinet",
        "conditions": ["typ-1-diabetes"],
        "body": "Hur har ni gjort med skolan? Vår son ska börja fyran och vi behöver en "
        "ny plan med skolsköterskan.",
        "replies": [],
    },
    {
        "community": "breast-cancer",
        "author": "sam",
        "language": "en",
        "title": "Going back to work after treatment",
        "conditions": ["brostcancer"],
        "body": "I am starting back at work part-time next month. I am excited and "
        "terrified. How did you tell your colleagues, and how much?",
        "replies": [
            (
                "james",
                "My dad found it easier to say one sentence and then change the subject. "
                "People took their cue from him.",
            ),
        ],
    },
    {
        "community": "caregivers-circle",
        "author": "james",
        "language": "en",
        "title": "Taking care of yourself too",
        "conditions": [],
        "body": "Six months of hospital visits with my dad. Some days I forget to eat. "
        "What do you do to keep going?",
        "replies": [],
    },
]


REFERENCE_KINDS = ["directory.medicine", "directory.clinic", "directory.physician"]


def _site_moderator() -> User:
    """An active site staff member with the demo authenticator: the site-wide queue
    (guest comments on public stories, cases outside any community) needs one."""
    from patientvoice.moderation.demo import _authenticator_app

    email = f"moderering@{DEMO_DOMAIN}"
    person = User.objects.filter(email=email).first()
    if person is None:
        person = account_actions.create_member(
            email=email, password=DEMO_PASSWORD, handle="Moderator_PV", language="sv",
            bio="Site moderator of the demo.", email_verified=True,
        )  # fmt: skip
    _authenticator_app(person)
    if not person.is_staff:
        account_actions.grant_site_staff(actor=None, user=person)
    return person


class Command(BaseCommand):
    help = "Load realistic demo data in Swedish and English (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if any account exists."
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        if if_empty and User.objects.exists():
            self.stdout.write("Demo data: the database already has accounts; left as it is.")
            return
        with transaction.atomic():
            members = {key: self._member(key, *rest) for key, *rest in MEMBERS}
            orgs = {slug: self._organization(slug, *rest) for slug, *rest in ORGANIZATIONS}
            seed_demo_logos(orgs)
            communities = {
                slug: self._community(slug, orgs[org], name, visibility, language, description)
                for slug, org, name, visibility, language, description in COMMUNITIES
            }
            for community in communities.values():
                for member in members.values():
                    if (
                        community.visibility == Visibility.PUBLIC
                        or member.preferred_language == community.language
                    ):
                        community_actions.join_community(user=member, community=community)
            conditions = {c.slug: c for c in Condition.objects.all()}
            for slug, tags in COMMUNITY_CONDITIONS.items():
                community_actions.set_community_conditions(
                    actor=None,
                    community=communities[slug],
                    conditions=[conditions[t] for t in tags if t in conditions],
                )
            guidelines = {
                slug: community_actions.publish_guidelines(
                    actor=None, community=communities[slug], body=body
                )
                for slug, body in COMMUNITY_GUIDELINES.items()
            }
            for spec in THREADS:
                # The pages ask a person to accept the guidelines before their first
                # post; the actions below do not, so the demo's writers accept here.
                for key in {spec["author"], *(key for key, _ in spec["replies"])}:
                    community_actions.accept_guidelines(
                        user=members[key], guidelines=guidelines[spec["community"]]
                    )
                thread = self._thread(spec, communities, members)
                community_actions.set_thread_conditions(
                    actor=members[spec["author"]],
                    thread=thread,
                    conditions=[conditions[t] for t in spec["conditions"] if t in conditions],
                )
            seed_demo_thread_tools(members=members, communities=communities, guidelines=guidelines)
            seed_demo_notifications(members=members, communities=communities)
            seed_demo_covers(communities)
            invitation_path = seed_demo_invitation(communities)
            moderation = seed_demo_moderation(
                members=members, communities=communities, organizations=orgs,
                password=DEMO_PASSWORD, domain=DEMO_DOMAIN,
            )  # fmt: skip
            reviews = seed_demo_reviews(members=members, password=DEMO_PASSWORD, domain=DEMO_DOMAIN)
            professionals = seed_demo_professionals(password=DEMO_PASSWORD, domain=DEMO_DOMAIN)
            seed_demo_notes(domain=DEMO_DOMAIN)
            safety = seed_demo_safety(password=DEMO_PASSWORD, domain=DEMO_DOMAIN)
            seed_demo_campaigns()
            seed_demo_stories()
            site_moderator = _site_moderator()
        # The directory's reference data (medicines, clinics, physicians) came with the
        # migrations, not through the actions that index it: index it here, so search
        # finds it on the first start. What the demo wrote is indexed by the worker.
        call_command("rebuild_search_index", kind=REFERENCE_KINDS, stdout=StringIO())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Log in as anna@{DEMO_DOMAIN} with the password {DEMO_PASSWORD}."
            )
        )
        self.stdout.write(
            f"Stories: /sv/stories/ · campaigns: /sv/campaigns/ (run by Diabetesföreningen Norr: "
            f"johan@{DEMO_DOMAIN} is its administrator, karin@{DEMO_DOMAIN} moderates). "
            f"Site moderator (guest comments on public stories, the site queue): "
            f"{site_moderator.email}, same password and authenticator secret as the staff."
        )
        if moderation:
            self.stdout.write(moderation)
        if reviews:
            self.stdout.write(reviews)
        self.stdout.write(professionals)
        self.stdout.write(safety)
        if invitation_path:
            self.stdout.write(f"Invitation link to the private demo community: {invitation_path}")

    def _member(self, key: str, handle: str, presence: str, language: str, bio: str) -> User:
        email = f"{key}@{DEMO_DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = account_actions.create_member(
                email=email, password=DEMO_PASSWORD, handle=handle, presence=presence,
                language=language, bio=bio, email_verified=True,
                joined_at=timezone.now() - timedelta(days=120),
            )  # fmt: skip
        return user

    def _organization(
        self, slug: str, name: str, kind: str, description: str, website: str
    ) -> Organization:
        found = Organization.objects.filter(slug=slug).first()
        if found:
            return found
        details = ORGANIZATION_DETAILS.get(slug, {})
        return org_actions.create_organization(
            actor=None, name=name, slug=slug, kind=kind, description=description,
            website=website, verified=True, **details,
        )  # fmt: skip

    def _community(
        self, slug: str, org: Organization, name: str, visibility: str, language: str,
        description: str,
    ) -> Community:  # fmt: skip
        found = Community.objects.filter(slug=slug).first()
        if found is not None:
            return found
        return community_actions.create_community(
            actor=None, name=name, slug=slug, visibility=visibility, description=description,
            teaser=description, language=language, organization=org,
        )  # fmt: skip

    def _thread(
        self, spec: dict[str, Any], communities: dict[str, Community], members: dict[str, User]
    ) -> Thread:
        community = communities[spec["community"]]
        found = Thread.objects.filter(community=community, title=spec["title"]).first()
        if found is not None:
            return found
        author = members[spec["author"]]
        community_actions.join_community(user=author, community=community)
        thread, _ = community_actions.create_thread(
            author=author, community=community, title=spec["title"], body=spec["body"],
            language=spec["language"],
        )  # fmt: skip
        for key, body in spec["replies"]:
            community_actions.join_community(user=members[key], community=community)
            community_actions.reply_to_thread(
                author=members[key], thread=thread, body=body, language=spec["language"]
            )
        return thread
