"""A campaign from creation to winners in the browser (issue 8, item 7): in Swedish on a
phone and in English on a desktop, axe-core on every page reached.

1. The organisation's administrator (with an authenticator app) creates a campaign:
   sent first with voting closing before it opens (refused, the form kept), then
   right; opens it, names a jury member and a criterion.
2. A member sends a picture (a PNG drawn for the test): first without its alt text
   (refused, the rest kept), then with it. It waits for a moderator.
3. A site moderator approves it from the moderation queue ("keep").
4. The administrator starts voting; two members vote (the second vote of the first is
   refused with its reason), the juror scores it.
5. The administrator closes the campaign and publishes the results; a visitor sees the
   winner.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone, translation

from e2e.conftest import Watch
from e2e.member_journey import arrive, submit, translated
from e2e.test_moderation_journey import heading, log_in, log_in_with_code, messages, people
from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import StaffFactory, UserFactory
from patientvoice.campaigns.models import Campaign, CampaignStatus, Submission
from patientvoice.campaigns.tests.factories import png_bytes
from patientvoice.core.models import ContentStatus
from patientvoice.moderation.models import Action, ReasonCode
from patientvoice.organizations import actions as organization_actions
from patientvoice.organizations.models import StaffRole
from patientvoice.organizations.tests.factories import OrganizationFactory

TITLE = {"sv": "Så känns värken", "en": "What pain feels like"}
ENTRY = {"sv": "Blå morgon", "en": "Blue morning"}
ALT = {"sv": "Två blå händer på ett vitt bord", "en": "Two blue hands on a white table"}


def _authenticated(user: User) -> str:
    secret: str = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _world(lang: str) -> dict[str, Any]:
    organization = OrganizationFactory.create(name=f"Ledstöd {lang}", slug=f"ledstod-{lang}")
    admin = UserFactory.create(handle=f"Admin_{lang}", email=f"admin.{lang}@example.org",
                               preferred_language=lang)  # fmt: skip
    admin_secret = _authenticated(admin)
    organization_actions.add_staff(
        actor=None, organization=organization, user=admin, role=StaffRole.ADMIN
    )
    moderator = StaffFactory.create(handle=f"Moderator_{lang}", email=f"mod.{lang}@example.org",
                                    preferred_language=lang)  # fmt: skip
    people_ = {
        key: UserFactory.create(
            handle=f"{key}_{lang}",
            email=f"{key.lower()}.{lang}@example.org",
            preferred_language=lang,
        )
        for key in ("Kim", "Voter", "Juror")
    }
    return {
        "organization": organization,
        "admin": (admin, admin_secret),
        "moderator": (moderator, _authenticated(moderator)),
        **people_,
    }


def _local(delta: timedelta) -> str:
    return timezone.localtime(timezone.now() + delta).strftime("%Y-%m-%dT%H:%M")


def run_a_campaign(
    page: Any, check_a11y: Any, browser: Any, base_url: str, viewport: str, watch: Watch
) -> None:
    lang = "sv" if viewport == "phone" else "en"
    world = _world(lang)
    organization = world["organization"]
    admin_user, admin_secret = world["admin"]
    moderator_user, moderator_secret = world["moderator"]

    def t(context: str, message: str) -> str:
        return translated(lang, context, message)

    with people(browser, base_url, viewport, watch, f"campaign_{lang}") as crowd:
        # 1. The administrator creates the campaign.
        admin = crowd.page("admin")
        log_in_with_code(admin, check_a11y, lang, admin_user.email, admin_secret)
        admin.goto(f"/{lang}/campaigns/by/{organization.slug}/")
        arrive(admin, check_a11y, lang)
        with admin.expect_navigation():
            admin.get_by_role("link", name=t("campaign list", "Start a new campaign")).click()
        arrive(admin, check_a11y, lang, f"/{lang}/campaigns/new/{organization.slug}/")
        admin.fill("#id_title", TITLE[lang])
        admin.select_option("#id_language", lang)
        admin.fill(
            "#id_brief", "Skicka en **bild** om värk." if lang == "sv" else "Send a **picture**."
        )
        admin.fill("#id_rules", "Bara eget material." if lang == "sv" else "Your own work only.")
        admin.fill("#id_submissions_open_at", _local(timedelta(hours=-1)))
        admin.fill("#id_submissions_close_at", _local(timedelta(days=7)))
        admin.fill("#id_voting_opens_at", _local(timedelta(hours=-1)))
        admin.fill("#id_voting_closes_at", _local(timedelta(days=-3)))
        admin.check("input[name=accepted_kinds][value=image]")
        admin.check("input[name=licences][value='cc-by-4.0']")
        admin.check("input[name=vote_mode][value=campaign]")
        admin.fill("#id_winners_count", "1")
        submit(admin)
        arrive(admin, check_a11y, lang)
        assert t("campaign form", "Voting must close after it opens.") in admin.inner_text("main")
        assert admin.input_value("#id_title") == TITLE[lang]
        admin.fill("#id_voting_closes_at", _local(timedelta(days=14)))
        submit(admin)
        campaign = Campaign.objects.get(title=TITLE[lang])
        arrive(admin, check_a11y, lang, f"/{lang}/campaigns/{campaign.slug}/")
        assert heading(admin) == TITLE[lang]
        submit(admin, f"form[action$='/{campaign.slug}/advance/']")
        arrive(admin, check_a11y, lang, f"/{lang}/campaigns/{campaign.slug}/")
        assert t("campaign phase", "The campaign is open for submissions.") in messages(admin)
        admin.goto(f"/{lang}/campaigns/{campaign.slug}/jury/")
        arrive(admin, check_a11y, lang)
        admin.fill("#id_handle", world["Juror"].handle)
        submit(admin, "form:has(input[value=add_juror])")
        arrive(admin, check_a11y, lang)
        admin.fill("#id_name", "Stark" if lang == "sv" else "Strong")
        submit(admin, "form:has(input[value=add_criterion])")
        arrive(admin, check_a11y, lang)
        assert world["Juror"].handle in admin.inner_text("main")

        # 2. A member sends a picture; first without its description.
        member = crowd.page("member")
        log_in(member, lang, world["Kim"].email)
        member.goto(f"/{lang}/campaigns/{campaign.slug}/")
        arrive(member, check_a11y, lang)
        with member.expect_navigation():
            member.get_by_role("link", name=t("campaign", "Send your contribution")).click()
        arrive(member, check_a11y, lang, f"/{lang}/campaigns/{campaign.slug}/submit/")
        picture = {"name": "morgon.png", "mimeType": "image/png", "buffer": png_bytes(800, 600)}
        member.check("input[name=kind][value=image]")
        member.fill("#id_title", ENTRY[lang])
        member.set_input_files("#id_file", picture)
        member.check("input[name=licence][value='cc-by-4.0']")
        member.check("input[name=age_group][value=adult]")
        member.check("#id_rules_accepted")
        submit(member)
        arrive(member, check_a11y, lang)
        assert member.locator(".error-summary").count() == 1
        assert member.input_value("#id_title") == ENTRY[lang]
        member.fill("#id_alt_text", ALT[lang])
        member.set_input_files("#id_file", picture)
        submit(member)
        submission = Submission.objects.get(title=ENTRY[lang])
        arrive(
            member, check_a11y, lang, f"/{lang}/campaigns/{campaign.slug}/s/{submission.public_id}/"
        )
        assert submission.status == ContentStatus.HELD
        assert member.locator(f"main img[alt='{ALT[lang]}']").count() == 1
        # Withdrawing is offered at any time (asked first; kept here).
        with member.expect_navigation():
            member.get_by_role("link", name=t("submission", "Withdraw my submission")).click()
        arrive(member, check_a11y, lang)
        with member.expect_navigation():
            member.get_by_role("link", name=t("submission", "Keep it")).click()

        # 3. A site moderator approves it in the queue.
        moderator = crowd.page("moderator")
        log_in_with_code(moderator, check_a11y, lang, moderator_user.email, moderator_secret)
        moderator.goto(f"/{lang}/moderation/queue/")
        arrive(moderator, check_a11y, lang)
        with moderator.expect_navigation():
            moderator.locator("main a.queue-item-link").first.click()
        arrive(moderator, check_a11y, lang)
        moderator.check(f"input[name=action][value={Action.KEEP}]")
        moderator.select_option("#id_reason_code", ReasonCode.NO_VIOLATION.value)
        moderator.fill("#id_explanation", "Följer reglerna." if lang == "sv" else "Fits the brief.")
        submit(moderator, "form.decision-form")
        submission.refresh_from_db()
        assert submission.status == ContentStatus.PUBLISHED

        # 4. Voting: the administrator starts it, a member votes, the juror scores.
        admin.goto(f"/{lang}/campaigns/{campaign.slug}/")
        submit(admin, f"form[action$='/{campaign.slug}/advance/']")
        arrive(admin, check_a11y, lang)
        assert t("campaign phase", "Voting has started.") in messages(admin)
        admin.goto(f"/{lang}/campaigns/{campaign.slug}/votes/held/")
        arrive(admin, check_a11y, lang)
        voter = crowd.page("voter")
        log_in(voter, lang, world["Voter"].email)
        voter.goto(f"/{lang}/campaigns/{campaign.slug}/gallery/")
        arrive(voter, check_a11y, lang)
        assert voter.locator(f"main img[alt='{ALT[lang]}']").count() == 1
        with voter.expect_navigation():
            voter.get_by_role("link", name=ENTRY[lang]).click()
        arrive(voter, check_a11y, lang)
        submit(voter, "main form[action$='/vote/']")
        arrive(voter, check_a11y, lang)
        assert t("vote", "Thank you for your vote.") in messages(voter)
        assert voter.locator("main [data-testid=voted]").count() == 1
        juror = crowd.page("juror")
        log_in(juror, lang, world["Juror"].email)
        juror.goto(f"/{lang}/campaigns/{campaign.slug}/s/{submission.public_id}/")
        arrive(juror, check_a11y, lang)
        with juror.expect_navigation():
            juror.get_by_role("link", name=t("submission", "Score it (jury)")).click()
        arrive(juror, check_a11y, lang)
        juror.locator("main input[type=number]").first.fill("9")
        submit(juror)
        arrive(juror, check_a11y, lang, f"/{lang}/campaigns/{campaign.slug}/gallery/")

        # 5. Closed, results published, the winner shown to a visitor.
        admin.goto(f"/{lang}/campaigns/{campaign.slug}/")
        submit(admin, f"form[action$='/{campaign.slug}/advance/']")
        arrive(admin, check_a11y, lang)
        submit(admin, f"form[action$='/{campaign.slug}/advance/']")
        arrive(admin, check_a11y, lang, f"/{lang}/campaigns/{campaign.slug}/results/")
        assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.PUBLISHED
        visitor = crowd.page("visitor")
        visitor.goto(f"/{lang}/campaigns/")
        arrive(visitor, check_a11y, lang)
        with visitor.expect_navigation():
            visitor.get_by_role("link", name=TITLE[lang]).click()
        arrive(visitor, check_a11y, lang, f"/{lang}/campaigns/{campaign.slug}/")
        visitor.goto(f"/{lang}/campaigns/{campaign.slug}/results/")
        arrive(visitor, check_a11y, lang)
        winners = visitor.locator("main .winners").inner_text()
        assert ENTRY[lang] in winners
        with translation.override(lang):
            assert t("results", "Winner") in visitor.inner_text("main")


def test_an_organisation_runs_a_campaign_from_creation_to_winners(
    page: Any, check_a11y: Any, browser: Any, base_url: str, viewport: str, watch: Watch
) -> None:
    run_a_campaign(page, check_a11y, browser, base_url, viewport, watch)
