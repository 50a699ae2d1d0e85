"""Verified professionals in the browser (issue 6, item 8): apply -> verify -> add a
note -> the author sees it, in Swedish on a phone and in English on a desktop.

1. A member with an authenticator app logs in with password and code, finds "Become a
   verified professional" on their account page and fills in the application: sent
   first without a licence number, the error summary names that field and the form
   keeps what was typed; then sent with a real (small) PNG as evidence.
2. A verifier (group "verifier", with an authenticator app) logs in, opens the
   verification queue from their account page, opens the request, sees (and fetches)
   the evidence and approves it with a reason.
3. The professional, now verified, opens a thread in a public community and follows
   "Add a note as a professional" under a member's post: sent first without a source
   (refused, the text kept), then with one (title and https address), as a correction.
4. The post's author is told on their notes notices page (linked from the notification
   centre), opens the thread and sees "A verified professional added context", the
   note with its badge, source and footer, and replies to the note.
5. A visitor sees the note and the reply under the post; the badge links to the public
   professional card, which shows the conflict-of-interest declaration.

axe-core checks every page reached. Every person has a browser of their own, as in the
moderation journey; expected wording is the catalogue's, looked up in the page's
language (``translation.override`` + ``pgettext``).
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.forms import Field
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext

from e2e.conftest import Watch
from e2e.member_journey import arrive, submit, translated
from e2e.test_moderation_journey import heading, log_in, log_in_with_code, messages, people
from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.communities import actions as community_actions
from patientvoice.core.models import ContentStatus
from patientvoice.expertnotes.models import ExpertNote, NoteAuthorReply, NoteKind, NoticeKind
from patientvoice.professionals.models import (
    Credential,
    Profession,
    RequestStatus,
    VerificationRequest,
)
from patientvoice.professionals.permissions import VERIFIER_GROUP
from patientvoice.professionals.tests.factories import png_bytes

CLAIM = (
    "Man behöver inte byta plats på sensorn. Jag har haft min på samma ställe i ett år "
    "och det går jättebra."
)
LICENCE = "SSK-482913"
SPECIALTY = "Diabetesvård"
WORKPLACE = "Vårdcentralen Norrby"
REAL_NAME = "Anna Svensson"
EMPLOYER = "Region Norrbotten"
TIES = "Föreläsning om insulinpumpar för ett medicinteknikföretag, 2024."
APPROVAL = "Kontrollerad mot legitimationen i HOSP-registret."
NOTE_BODY = {
    "sv": "Byt plats på sensorn varje gång. Om den sitter på samma ställe kan huden bli "
    "hård, och då blir värdena mindre pålitliga.",
    "en": "Move the sensor to a new place each time. In the same place the skin can "
    "harden, and the readings become less reliable.",
}
SOURCE = ("1177: Diabetes typ 1", "https://www.1177.se/sjukdomar--besvar/diabetes/diabetes-typ-1/")
REPLY = {
    "sv": "Tack, det visste jag inte. Jag ska prata med min diabetessköterska.",
    "en": "Thank you, I did not know that. I will ask my diabetes nurse.",
}


def _language(viewport: str) -> str:
    return "sv" if viewport == "phone" else "en"


def _with_authenticator(person: User) -> str:
    """Give ``person`` an authenticator app; returns its secret."""
    secret: str = generate_totp_secret()
    TOTP.activate(person, secret)
    return secret


def _world(lang: str) -> dict[str, Any]:
    """A public community where a member claims something about sensors; a member who
    will apply, and a verifier, both with an authenticator app."""
    community = community_actions.create_community(
        actor=None, name="Typ 1-diabetes", description="Vi som lever med typ 1-diabetes."
    )
    starter = UserFactory.create(
        handle=f"Frida_{lang}", email=f"frida.{lang}@example.org", preferred_language=lang
    )
    author = UserFactory.create(
        handle=f"Lina_{lang}", email=f"lina.{lang}@example.org", preferred_language=lang
    )
    for person in (starter, author):
        community_actions.join_community(user=person, community=community)
    thread, _ = community_actions.create_thread(
        author=starter, community=community, title="Var sätter ni sensorn?",
        body="Det kliar där jag har den nu. Hur gör ni?", language="sv",
    )  # fmt: skip
    post = community_actions.reply_to_thread(
        author=author, thread=thread, body=CLAIM, language="sv"
    ).content
    assert post.status == ContentStatus.PUBLISHED
    applicant = UserFactory.create(
        handle=f"Anna_SSK_{lang}", email=f"anna.{lang}@example.org", preferred_language=lang
    )
    verifier = UserFactory.create(
        handle=f"Granskare_{lang}", email=f"granskare.{lang}@example.org", preferred_language=lang
    )
    group, _ = Group.objects.get_or_create(name=VERIFIER_GROUP)
    verifier.groups.add(group)
    return {
        "community": community,
        "thread": thread,
        "post": post,
        "author": author,
        "applicant": (applicant, _with_authenticator(applicant)),
        "verifier": (verifier, _with_authenticator(verifier)),
    }


def _evidence_file() -> dict[str, Any]:
    return {"name": "legitimation.png", "mimeType": "image/png", "buffer": png_bytes(320, 200)}


def apply_verify_note_and_reply(
    page: Any, check_a11y: Any, browser: Any, base_url: str, viewport: str, watch: Watch
) -> None:
    lang = _language(viewport)
    world = _world(lang)
    post, thread, community = world["post"], world["thread"], world["community"]
    applicant, applicant_secret = world["applicant"]
    verifier_user, verifier_secret = world["verifier"]
    thread_path = f"/{lang}/c/{community.slug}/t/{thread.public_id}/"
    article = f"main #post-{post.public_id}"

    def t(context: str, message: str) -> str:
        return translated(lang, context, message)

    def text(locator: Any) -> str:
        return " ".join(locator.inner_text().split())

    with translation.override(lang):
        settings_path = reverse("accounts:settings")
        status_path = reverse("professionals:status")
        apply_path = reverse("professionals:apply")
        queue_path = reverse("professionals:queue")
        notices_path = reverse("expertnotes:notices")
        nurse = str(Profession.NURSE.label)
        correction = str(NoteKind.CORRECTION.label)
        note_added = str(NoticeKind.NOTE_ADDED.label)
        licence_missing = pgettext("professional form errors", "%(field)s: %(error)s") % {
            "field": pgettext("professional form", "Licence or registration number"),
            "error": str(Field.default_error_messages["required"]).lower(),
        }
        required = gettext("This field is required.")

    stem = f"professional_{lang}_{viewport}"
    with people(browser, base_url, viewport, watch, stem) as crowd:
        # 1. The member logs in with password and code, and from the account page asks
        # to be verified.
        professional = page
        log_in_with_code(professional, check_a11y, lang, applicant.email, applicant_secret)
        professional.goto(settings_path)
        arrive(professional, check_a11y, lang, settings_path)
        with professional.expect_navigation():
            professional.locator("main").get_by_role(
                "link", name=t("account", "Become a verified professional")
            ).click()
        arrive(professional, check_a11y, lang, status_path)
        with professional.expect_navigation():
            professional.locator("main").get_by_role(
                "link", name=t("professional status", "Ask to be verified")
            ).click()
        arrive(professional, check_a11y, lang, apply_path)
        assert heading(professional) == t(
            "professional form", "Ask to be verified as a healthcare professional"
        )

        # Sent without the licence number: the summary names the field and links to it,
        # the field is marked, and everything typed is still there (the file must be
        # chosen again, and the page says so).
        professional.select_option("#id_profession", "nurse")
        professional.fill("#id_specialty", SPECIALTY)
        professional.fill("#id_workplace", WORKPLACE)
        professional.set_input_files("#id_evidence", files=[_evidence_file()])
        professional.fill("#id_real_name", REAL_NAME)
        professional.fill("#id_employer", EMPLOYER)
        professional.fill("#id_industry_ties", TIES)
        professional.check("#id_confirm")
        submit(professional)
        arrive(professional, check_a11y, lang, apply_path)
        summary = professional.locator("main .error-summary")
        assert t("form errors", "Please check what you wrote. Your text is kept below.") in (
            text(summary)
        )
        missing = summary.locator("a[href='#id_licence_number']")
        assert missing.count() == 1
        assert text(missing).casefold() == licence_missing.casefold(), text(missing)
        assert summary.locator("li").count() == 1, text(summary)
        assert professional.get_attribute("#id_licence_number", "aria-invalid") == "true"
        assert required in text(professional.locator("main #id_licence_number_error"))
        assert t(
            "professional form",
            "For your security, the browser forgets the chosen file when a form comes back: "
            "choose your evidence file again.",
        ) in text(professional.locator("main"))
        kept = {
            "#id_profession": "nurse",
            "#id_specialty": SPECIALTY,
            "#id_workplace": WORKPLACE,
            "#id_real_name": REAL_NAME,
            "#id_employer": EMPLOYER,
            "#id_industry_ties": TIES,
        }
        for field, value in kept.items():
            assert professional.input_value(field) == value, field
        assert professional.is_checked("#id_confirm")
        assert not VerificationRequest.objects.exists()

        # Completed: sent, and the verification page says it waits for a verifier.
        professional.fill("#id_licence_number", LICENCE)
        professional.set_input_files("#id_evidence", files=[_evidence_file()])
        submit(professional)
        arrive(professional, check_a11y, lang, status_path)
        assert t(
            "professional form",
            "Thank you. A verifier will check your request and tell you what they decide.",
        ) in messages(professional)
        request = VerificationRequest.objects.get(applicant=applicant)
        assert request.status == RequestStatus.PENDING
        assert request.licence_number == LICENCE
        assert request.evidence_name
        assert t("professional status", "Your request") in text(professional.locator("main"))

        # 2. A verifier logs in with the authenticator app, opens the queue from the
        # account page, opens the request, fetches the evidence and approves it.
        verifier = crowd.page("verifier")
        log_in_with_code(verifier, check_a11y, lang, verifier_user.email, verifier_secret)
        verifier.goto(settings_path)
        arrive(verifier, check_a11y, lang, settings_path)
        with verifier.expect_navigation():
            verifier.locator("main").get_by_role(
                "link", name=t("account", "Verification queue")
            ).click()
        arrive(verifier, check_a11y, lang, queue_path)
        assert heading(verifier) == t("verifier queue", "Verification requests")
        with verifier.expect_navigation():
            verifier.locator(f"main #request-{request.public_id} a").click()
        detail_path = f"/{lang}/professionals/verify/{request.public_id}/"
        arrive(verifier, check_a11y, lang, detail_path)
        main = text(verifier.locator("main"))
        for shown in (REAL_NAME, LICENCE, WORKPLACE, SPECIALTY, nurse, EMPLOYER, TIES):
            assert shown in main, shown
        evidence = verifier.locator("main").get_by_role(
            "link", name=t("verification request", "Download the picture")
        )
        href = evidence.get_attribute("href")
        assert href == f"{detail_path}evidence/", href
        # The file itself (as the browser would download it): the re-encoded picture.
        response = verifier.request.get(href)
        assert response.status == 200
        assert response.headers["content-type"] == "image/webp"
        assert response.headers["content-disposition"].startswith("attachment")
        assert response.body()[8:12] == b"WEBP"
        verifier.check("main input[name=decision][value=approve]")
        verifier.fill("#id_reason", APPROVAL)
        submit(verifier, f"main form[action='{detail_path}']")
        arrive(verifier, check_a11y, lang, queue_path)
        assert t("verification decision", "Decided. The applicant is told.") in messages(verifier)
        assert verifier.locator(f"main #request-{request.public_id}").count() == 0
        credential = Credential.objects.get(user=applicant)
        assert credential.is_active()

        # The professional's verification page now shows the badge and the reason.
        professional.goto(status_path)
        arrive(professional, check_a11y, lang, status_path)
        assert professional.locator("main .badge-professional").count() == 1
        assert APPROVAL in text(professional.locator("main .notification-list"))

        # 3. The professional adds a correction under the member's post.
        professional.goto(thread_path)
        arrive(professional, check_a11y, lang, thread_path)
        with professional.expect_navigation():
            professional.locator(f"{article} .post-actions").get_by_role(
                "link", name=t("expert notes", "Add a note as a professional")
            ).click()
        add_path = f"/{lang}/notes/add/post/{post.public_id}/"
        arrive(professional, check_a11y, lang, add_path)
        assert heading(professional) == t(
            "expert note form", "Add a note as a verified professional"
        )
        assert CLAIM[:40] in text(professional.locator("main .expert-note-target"))

        # Without a source: refused, with the reason, and the text kept.
        professional.check(f"main input[name=kind][value={NoteKind.CORRECTION}]")
        professional.fill("#id_body", NOTE_BODY[lang])
        submit(professional)
        arrive(professional, check_a11y, lang, add_path)
        assert t(
            "expert note error",
            "Add at least one source: a title and its web address, for example from "
            "FASS, 1177 or Läkemedelsverket.",
        ) in text(professional.locator("main .error-summary"))
        assert professional.input_value("#id_body") == NOTE_BODY[lang]
        assert professional.is_checked(f"main input[name=kind][value={NoteKind.CORRECTION}]")
        assert not ExpertNote.objects.exists()

        # With a title and an https address: published, shown on the notes page.
        professional.fill("#id_source_title_0", SOURCE[0])
        professional.fill("#id_source_url_0", SOURCE[1])
        submit(professional)
        arrive(professional, check_a11y, lang)
        note = ExpertNote.objects.get()
        notes_path = f"/{lang}/notes/post/{post.public_id}/"
        assert professional.url.endswith(f"{notes_path}#{note.anchor}"), professional.url
        assert t(
            "expert note form", "Your note is published. The author has been told."
        ) in messages(professional)
        assert note.status == ContentStatus.PUBLISHED
        assert note.kind == NoteKind.CORRECTION
        assert note.author_id == applicant.pk

        # 4. The author is told: notification centre -> notes notices -> the note.
        author = crowd.page("author")
        log_in(author, lang, world["author"].email)
        with author.expect_navigation():
            author.locator("header a[href$='/notifications/']").click()
        arrive(author, check_a11y, lang, f"/{lang}/notifications/")
        with author.expect_navigation():
            author.locator(f"main a[href='{notices_path}']").click()
        arrive(author, check_a11y, lang, notices_path)
        assert heading(author) == t("expert note notices", "Notes from verified professionals")
        with author.expect_navigation():
            author.locator("main .notice-list").get_by_role("link", name=note_added).click()
        arrive(author, check_a11y, lang)
        assert author.url.endswith(f"{notes_path}#{note.anchor}"), author.url
        assert NOTE_BODY[lang] in text(author.locator(f"main #{note.anchor}"))

        # ... goes to the post in its thread: labelled, with the note under it.
        with author.expect_navigation():
            author.locator("main .expert-note-target footer a").click()
        arrive(author, check_a11y, lang)
        assert thread_path in author.url, author.url
        label = text(author.locator(f"{article} .expert-note-label"))
        assert t("expert notes", "A verified professional added context") in label
        shown = author.locator(f"{article} #{note.anchor}")
        assert correction in text(shown.locator(".expert-note-kind"))
        assert NOTE_BODY[lang] in text(shown.locator(".expert-note-body"))
        badge = text(shown.locator(".badge-professional"))
        assert REAL_NAME in badge
        assert f"{nurse} · {SPECIALTY}" in badge
        source = shown.locator(".expert-note-sources a")
        assert text(source) == SOURCE[0]
        assert source.get_attribute("href") == SOURCE[1]
        assert t(
            "expert notes",
            "General information from a verified professional, not advice about your own "
            "care. Talk to your own healthcare provider.",
        ) in text(shown.locator(".expert-note-footer"))

        # ... and replies to the note.
        with author.expect_navigation():
            shown.get_by_role("link", name=t("expert notes", "Reply to this note")).click()
        arrive(author, check_a11y, lang, f"/{lang}/notes/{note.public_id}/reply/")
        assert heading(author) == t("expert note form", "Reply to a note")
        author.fill("#id_body", REPLY[lang])
        submit(author)
        arrive(author, check_a11y, lang)
        assert author.url.endswith(f"{notes_path}#{note.anchor}"), author.url
        assert t("expert note form", "Your reply is saved.") in messages(author)
        reply = NoteAuthorReply.objects.get(note=note)
        assert reply.status == ContentStatus.PUBLISHED
        assert reply.author_id == world["author"].pk

        # 5. A visitor reads the note and the reply under the post ...
        visitor = crowd.page("visitor")
        visitor.goto(thread_path)
        arrive(visitor, check_a11y, lang, thread_path)
        shown = visitor.locator(f"{article} #{note.anchor}")
        assert NOTE_BODY[lang] in text(shown.locator(".expert-note-body"))
        answered = text(shown.locator(f"#{reply.anchor}"))
        assert t("expert notes", "The author replied") in answered
        assert REPLY[lang] in answered
        assert t("expert notes", "A verified professional added context") in text(
            visitor.locator(f"{article} .expert-note-label")
        )
        assert visitor.locator("main .expert-note").count() == 1
        assert visitor.locator(f"{article} .post-actions").count() == 0

        # ... and follows the badge to the professional card with the declaration.
        with visitor.expect_navigation():
            shown.locator(".badge-professional a").click()
        card_path = f"/{lang}/professionals/p/{credential.public_id}/"
        arrive(visitor, check_a11y, lang, card_path)
        assert heading(visitor) == REAL_NAME
        card = text(visitor.locator("main .professional-card"))
        for fact in (nurse, SPECIALTY, EMPLOYER, TIES):
            assert fact in card, fact
        assert t("professional profile", "Conflicts of interest") in card
        assert LICENCE not in card  # verifiers only
        assert WORKPLACE not in card


def test_a_member_is_verified_as_a_professional_adds_a_note_and_the_author_replies(
    page: Any, check_a11y: Any, browser: Any, base_url: str, viewport: str, watch: Watch
) -> None:
    apply_verify_note_and_reply(page, check_a11y, browser, base_url, viewport, watch)
