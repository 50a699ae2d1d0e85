"""Demo moderation for ``seed_demo`` (issue 4), so that ``make run`` shows moderation at
work: an organisation moderator of Diabetesföreningen Norr who logs in with two-step
verification; open cases in the organisation's two communities (members' flags for spam
and for medical misinformation, a post the pipeline held for a phone number, crisis
language, a trusted flagger's flag, a visitor's notice) and a flagged profile in the
site-wide queue; two decided cases with statements of reasons to a member (a hide and a
label), the hide appealed and waiting for the moderator who did not decide it.

Written through the actions: the accounts and organisation actions for the people and
their roles, allauth's for the authenticator app, the communities actions for the
posts, the pipeline's own after-publish hook for held content and crisis language (the
worker runs it again after commit; it is idempotent), and the moderation actions for
everything else. Idempotent: every step looks for what it would make first, so running
it twice changes nothing; neither does running it after someone has worked the demo's
cases (decided, appealed, redacted).
"""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse
from django.utils import timezone, translation

from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.models import User
from patientvoice.communities import actions as community_actions
from patientvoice.communities.models import Community, Post, Thread
from patientvoice.communities.queries import current_guidelines
from patientvoice.organizations import actions as organization_actions
from patientvoice.organizations.models import Organization, OrganizationStaff, StaffRole

from . import actions, queries
from .kinds import POST, PROFILE
from .models import (
    Action,
    Appeal,
    Case,
    CaseStatus,
    Decision,
    IllegalType,
    ReasonCode,
    Report,
    ReportReason,
    StatementOfReasons,
    TrustedFlagger,
)
from .permissions import can_flag
from .pipeline import open_cases_after_publish

# The secret of the demo staff's authenticator app: printed by seed_demo like the demo
# password, so whoever runs the demo can log in as a moderator. Demo data is for local
# use only (docs/deploy.md: never seed_demo in production).
DEMO_TOTP_SECRET = "PATIENTVOICEDEMOTOTPSECRETFORMOD"  # noqa: S105

# The organisation whose communities the demo moderates, and the one designated as a
# trusted flagger (DSA art. 22).
ORGANIZATION = "diabetes-norr"
TRUSTED_FLAGGER = "ledstod"
TRUSTED_FLAGGER_REASON = (
    "Status som betrodd anmälare tilldelad av samordnaren för digitala tjänster "
    "(Post- och telestyrelsen): kunskap om läkemedel och läkemedelsreklam."
)


class Person(NamedTuple):
    key: str
    handle: str
    presence: str
    language: str
    bio: str
    days_a_member: int


# People the moderation demo needs besides seed_demo's members: the organisation's
# moderator (the demo login) and administrator, the trusted flagger's staff member, and
# two accounts whose posts are reported.
PEOPLE = [
    Person("karin", "Karin_DiabetesNorr", "patient", "sv",
           "Volontär moderator i Diabetesföreningen Norr. Typ 1 sedan 2005.", 400),
    Person("johan", "Johan_DiabetesNorr", "caregiver", "sv",
           "Administratör i Diabetesföreningen Norr. Pappa till en tonåring med typ 1.", 700),
    Person("petra", "Petra_Ledstod", "other", "sv",
           "Arbetar med läkemedelsfrågor på Ledstöds kansli.", 300),
    Person("naturligt", "NaturligtFrisk", "other", "sv",
           "Hälsocoach. Kroppen kan läka sig själv.", 30),
    Person("glucodeals", "GlucoDeals", "other", "en",
           "Best prices on sensors and diabetes supplies: www.sensorgrip-deals.example", 1),
]  # fmt: skip

# Who acts for which organisation (each needs a second factor, so each gets the demo
# authenticator app first).
STAFF = [
    ("karin", ORGANIZATION, StaffRole.MODERATOR),
    ("johan", ORGANIZATION, StaffRole.ADMIN),
    ("petra", TRUSTED_FLAGGER, StaffRole.MODERATOR),
]
# The demo login the summary names; the other moderator decided the demo's decisions,
# so this one may decide the appeal (DSA art. 20(6)).
MODERATOR = "karin"
DECIDING_MODERATOR = "johan"
# Designating a trusted flagger is for site staff: an account that cannot log in (no
# password, inactive) is the one recorded as having done it.
SITE_TEAM_HANDLE = "Webbplatsteamet"


class DemoPost(NamedTuple):
    community: str
    author: str
    # The thread's title: a new thread unless seed_demo (or an earlier post here) made
    # one with this title, then a reply to it.
    thread: str
    language: str
    body: str


POSTS: dict[str, DemoPost] = {
    "spam": DemoPost(
        "diabetes-typ-1", "glucodeals", "Sensor som lossnar när man tränar", "en",
        "Tired of sensors falling off? SensorGrip patches are 50% off this week only! "
        "Order at www.sensorgrip-deals.example and use the code T1D50.",
    ),
    "medicine_ad": DemoPost(
        "diabetes-typ-1", "glucodeals", "Ozempic utan recept – snabb leverans", "sv",
        "Vi säljer Ozempic och insulinpennor utan recept, med snabb leverans i hela "
        "Sverige. Beställ på www.snabbapoteket-deals.example",
    ),
    "misinformation": DemoPost(
        "diabetes-typ-1", "naturligt", "Kanel i stället för insulin", "sv",
        "Jag har halverat mitt insulin sedan jag började med kanel och bittergurka varje "
        "dag. Typ 1 går att läka med rätt kost, det är bara ingen läkare som berättar det.",
    ),
    "defamation": DemoPost(
        "diabetes-typ-1", "naturligt", "Kanel i stället för insulin", "sv",
        "Doktor Anders Berg på diabetesmottagningen i Luleå får betalt av "
        "läkemedelsbolagen för varje patient han sätter på insulin. Gå inte till honom!",
    ),
    # Held by the pipeline (a phone number): a case opens without anyone reporting it.
    "phone": DemoPost(
        "diabetes-typ-1", "erik", "Löpargrupp i Luleå?", "sv",
        "Jag vill starta en löpargrupp för oss med typ 1 i Luleå: vi tränar ihop och "
        "håller koll på blodsockret tillsammans. Ring mig på 070-123 45 67 om du vill "
        "vara med!",
    ),
    # Crisis language: published with the help panel, and an urgent case.
    "crisis": DemoPost(
        "anhoriga-diabetes", "maria", "Hur orkar ni nätterna?", "sv",
        "Tre nätter i rad med larm var tredje timme. Jag älskar min son, men ibland "
        "känns det som att jag inte vill vakna mer. Hur gör ni för att orka?",
    ),
    # Decided: hidden (and appealed), and labelled.
    "sensors_for_sale": DemoPost(
        "diabetes-typ-1", "erik", "Sensor som lossnar när man tränar", "sv",
        "Jag har tio sensorer över sedan jag bytte modell. Säljer dem för 300 kr styck, "
        "skriv till mig privat så löser vi det!",
    ),
    "fixed_dose": DemoPost(
        "diabetes-typ-1", "erik", "Jag har slutat räkna kolhydrater", "sv",
        "Sedan i höstas tar jag samma dos måltidsinsulin till varje måltid i stället för "
        "att räkna kolhydrater. Det funkar jättebra för mig – prova!",
    ),
}  # fmt: skip


class DemoFlag(NamedTuple):
    post: str
    reporter: str
    reason: str
    explanation: str = ""
    illegal_type: str = ""


# Members' flags that stay open.
OPEN_FLAGS = [
    DemoFlag("spam", "maria", ReportReason.SPAM),
    DemoFlag(
        "misinformation", "lena", ReportReason.MEDICAL_MISINFORMATION,
        "Typ 1-diabetes går inte att bota med kost eller kosttillskott. Den som minskar "
        "sitt insulin på egen hand riskerar ketoacidos, som kan vara livshotande. "
        "Inlägget kan få andra att sluta med sitt insulin.",
    ),
    # By the trusted flagger's staff member: first among cases of its severity.
    DemoFlag(
        "medicine_ad", "petra", ReportReason.ILLEGAL,
        "Receptbelagda läkemedel får inte marknadsföras till allmänheten, och att sälja "
        "dem utan recept är olagligt.",
        IllegalType.MEDICINE_ADVERTISING,
    ),
]  # fmt: skip
# A member flags the spam account's profile: profiles have no community, so the case
# is in the site-wide queue (site staff; decisions/0028).
PROFILE_FLAG = ("glucodeals", "erik", ReportReason.SPAM)


class DemoNotice(NamedTuple):
    post: str
    name: str
    email_local_part: str
    illegal_type: str
    explanation: str


# A visitor's notice of illegal content (DSA art. 16), in Swedish.
NOTICE = DemoNotice(
    "defamation", "Anders Berg", "anders.berg", IllegalType.DEFAMATION,
    "Jag är läkaren som nämns. Påståendet att jag får betalt av läkemedelsbolag för att "
    "sätta patienter på insulin är osant och skadar mitt anseende. Det är förtal "
    "(brottsbalken 5 kap. 1 §).",
)  # fmt: skip


class DemoDecision(NamedTuple):
    post: str
    flag: DemoFlag
    action: str
    reason_code: str
    explanation: str
    label_text: str = ""
    # The author's appeal, left open for the other moderator.
    appeal: str = ""


DECISIONS = [
    DemoDecision(
        "sensors_for_sale",
        DemoFlag("sensors_for_sale", "anna", ReportReason.SPAM),
        Action.HIDE,
        ReasonCode.COMMUNITY_GUIDELINES,
        "Inlägget erbjuder sensorer till försäljning. Gemenskapens riktlinjer tillåter "
        "inte försäljning eller annonser, och sensorer är förskrivna hjälpmedel som inte "
        "får säljas vidare.",
        appeal="Jag ville inte tjäna pengar, bara att sensorerna skulle komma till nytta i "
        "stället för att slängas. Kan inlägget visas igen om jag tar bort priset?",
    ),
    DemoDecision(
        "fixed_dose",
        DemoFlag("fixed_dose", "lena", ReportReason.MEDICAL_MISINFORMATION),
        Action.LABEL,
        ReasonCode.MEDICAL_MISINFORMATION,
        "Inlägget ger andra ett råd om insulindoser som kan vara farligt att följa. Det "
        "får stå kvar, eftersom det är din egen erfarenhet, men med en etikett som ber "
        "läsarna att prata med vården först.",
        label_text="En fast insulindos passar inte alla. Prata med ditt diabetesteam "
        "innan du ändrar hur du doserar.",
    ),
]


def seed_demo_moderation(
    *,
    members: dict[str, User],
    communities: dict[str, Community],
    organizations: dict[str, Organization],
    password: str,
    domain: str,
) -> str:
    """Add the moderation demo (see the module's docstring) to seed_demo's members,
    communities and organisations; the new people get ``password`` and addresses at
    ``domain``. Returns what seed_demo prints: how to log in as the moderator."""
    if ORGANIZATION not in organizations:
        return ""
    people = {**members, **{p.key: _person(p, password, domain) for p in PEOPLE}}
    for key, slug, role in STAFF:
        if slug in organizations:
            _staff(people[key], organizations[slug], role)
    trusted = organizations.get(TRUSTED_FLAGGER)
    if trusted is not None and not TrustedFlagger.objects.filter(organization=trusted).exists():
        # Not again once designated, also when someone has revoked it since.
        actions.designate_trusted_flagger(
            actor=_site_team(domain), organization=trusted, reason=TRUSTED_FLAGGER_REASON
        )
    posts: dict[str, Post] = {}
    for key, spec in POSTS.items():
        post = _post(spec, people, communities)
        if post is not None:
            posts[key] = post
    for demo_flag in OPEN_FLAGS:
        if demo_flag.post in posts:
            _flag(people, posts[demo_flag.post], demo_flag)
    owner, reporter, reason = PROFILE_FLAG
    if owner in people and reporter in people:
        _flag_once(people[reporter], PROFILE, people[owner], reason=reason)
    if NOTICE.post in posts:
        _notice(posts[NOTICE.post], domain)
    for decided in DECISIONS:
        if decided.post in posts:
            _decide(decided, posts[decided.post], people)
    return _summary(people, password)


def _person(person: Person, password: str, domain: str) -> User:
    email = f"{person.key}@{domain}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = account_actions.create_member(
            email=email, password=password, handle=person.handle, presence=person.presence,
            language=person.language, bio=person.bio, email_verified=True,
            joined_at=timezone.now() - timedelta(days=person.days_a_member),
        )  # fmt: skip
    return user


def _authenticator_app(user: User) -> None:
    """Turn on two-step verification with the demo secret, as allauth's TOTP page does
    (the secret encrypted at rest by ``accounts.mfa.MFAAdapter``; audited by the
    receiver of allauth's signal)."""
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return
    authenticator = TOTP.activate(user, DEMO_TOTP_SECRET).instance
    mfa_signals.authenticator_added.send(
        sender=Authenticator, request=None, user=user, authenticator=authenticator
    )


def _staff(user: User, organization: Organization, role: str) -> None:
    _authenticator_app(user)
    if not OrganizationStaff.objects.filter(organization=organization, user=user).exists():
        organization_actions.add_staff(actor=None, organization=organization, user=user, role=role)
        user.refresh_from_db()


def _site_team(domain: str) -> User:
    email = f"webbteam@{domain}"
    user = User.objects.filter(email=email).first()
    if user is None:
        # Site staff are made as Django's createsuperuser makes them (there is no action
        # for it); this one has no password and is inactive, so nobody can log in as it.
        user = User.objects.create_user(
            email, None, handle=SITE_TEAM_HANDLE, is_staff=True, is_active=False
        )
    return user


def _post(
    spec: DemoPost, people: dict[str, User], communities: dict[str, Community]
) -> Post | None:
    community = communities.get(spec.community)
    author = people.get(spec.author)
    if community is None or author is None:
        return None
    theirs = Post.objects.filter(community=community, author=author)
    # The text as written, or as it was before a moderator's redaction or an edit.
    found = (
        theirs.filter(body=spec.body).first()
        or theirs.filter(revisions__body=spec.body).order_by("pk").first()
    )
    if found is not None:
        return found
    community_actions.join_community(user=author, community=community)
    guidelines = current_guidelines(community)
    if guidelines is not None:  # as the demo's other writers, who accepted them
        community_actions.accept_guidelines(user=author, guidelines=guidelines)
    thread = Thread.objects.filter(community=community, title=spec.thread).first()
    if thread is None:
        _thread, result = community_actions.create_thread(
            author=author, community=community, title=spec.thread, body=spec.body,
            language=spec.language,
        )  # fmt: skip
    else:
        result = community_actions.reply_to_thread(
            author=author, thread=thread, body=spec.body, language=spec.language
        )
    post = result.content
    assert isinstance(post, Post)
    # The after-publish hook the worker runs after commit, run now so the queue is
    # there at once: a case for held content, an urgent one for crisis language.
    open_cases_after_publish(post)
    return post


def _flag_once(
    reporter: User, kind: str, obj: Post | User, *, reason: str, explanation: str = "",
    illegal_type: str = "",
) -> Report | None:  # fmt: skip
    """``reporter``'s flag of ``obj``: the one they made before (whatever became of its
    case), or a new one when they may flag it (a held post they cannot see: none)."""
    earlier = (
        Report.objects.filter(reporter=reporter, kind=kind, object_id=obj.pk, is_notice=False)
        .order_by("created_at", "id")
        .first()
    )
    if earlier is not None:
        return earlier
    if not can_flag(reporter, obj):
        return None
    return actions.flag(
        reporter=reporter, kind=kind, obj=obj, reason=reason, explanation=explanation,
        illegal_type=illegal_type,
    )  # fmt: skip


def _flag(people: dict[str, User], post: Post, demo_flag: DemoFlag) -> Report | None:
    reporter = people.get(demo_flag.reporter)
    if reporter is None:
        return None
    return _flag_once(
        reporter, POST, post, reason=demo_flag.reason, explanation=demo_flag.explanation,
        illegal_type=demo_flag.illegal_type,
    )  # fmt: skip


def _notice(post: Post, domain: str) -> None:
    email = f"{NOTICE.email_local_part}@{domain}"
    if Report.objects.filter(
        is_notice=True, kind=POST, object_id=post.pk, reporter_email=email
    ).exists():
        return
    with translation.override("sv"):  # the language the visitor wrote in
        actions.send_notice(
            name=NOTICE.name, email=email, explanation=NOTICE.explanation,
            illegal_type=NOTICE.illegal_type, good_faith=True, kind=POST, obj=post,
        )  # fmt: skip


def _decide(spec: DemoDecision, post: Post, people: dict[str, User]) -> None:
    """The flag, the other moderator's decision, and the author's appeal, each once."""
    decision = (
        Decision.objects.filter(case__kind=POST, case__object_id=post.pk)
        .order_by("created_at", "id")
        .first()
    )
    if decision is None:
        _flag(people, post, spec.flag)
        case = Case.objects.filter(kind=POST, object_id=post.pk, status=CaseStatus.OPEN).first()
        if case is None:
            return
        decision = actions.decide(
            moderator=people[DECIDING_MODERATOR], case=case, action=spec.action,
            reason_code=spec.reason_code, explanation=spec.explanation,
            label_text=spec.label_text,
        )  # fmt: skip
    if not spec.appeal or post.author is None:
        return
    statement = StatementOfReasons.objects.filter(decision=decision, recipient=post.author).first()
    if statement is not None and not Appeal.objects.filter(statement=statement).exists():
        actions.appeal(appellant=post.author, statement=statement, text=spec.appeal)


def _summary(people: dict[str, User], password: str) -> str:
    """How to see it: the moderator's login, the queues, and where the member reads."""
    moderator = people[MODERATOR]
    with translation.override("sv"):
        queue_url = reverse("moderation:queue")
        appeals_url = reverse("moderation:queue_appeals")
        decisions_url = reverse("moderation:my_decisions")
    appellants = [people[POSTS[d.post].author] for d in DECISIONS if d.appeal]
    member = next((p for p in appellants if Appeal.objects.filter(appellant=p).exists()), None)
    lines = [
        f"Moderation: log in as {moderator.email} with the password {password} and the "
        f"code from an authenticator app set up with the secret {DEMO_TOTP_SECRET} "
        f"(moderator of Diabetesföreningen Norr).",
        f"  Queue: {queue_url} ({queries.open_count(moderator)} open cases); "
        f"appeals: {appeals_url} ({queries.appeal_queue(moderator).count()} open).",
    ]
    if member is not None:
        lines.append(
            f"  {member.email} has statements of reasons, one of them appealed: {decisions_url}"
        )
    return "\n".join(lines)
