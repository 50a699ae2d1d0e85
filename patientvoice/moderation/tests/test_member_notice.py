"""The notice of illegal content (DSA art. 16) at ``/moderation/notice/``: anyone can
send one, a robot that fills the honeypot gets the same answer and stores nothing, and
floods are limited per network address."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from patientvoice.accounts.models import User
from patientvoice.core.testing.sessions import log_in
from patientvoice.moderation.errors import FlagLimit, NoticeTargetNotFound
from patientvoice.moderation.models import Report

from .factories import CommunityFactory, PostFactory, ThreadFactory
from .pages import sv

pytestmark = pytest.mark.django_db

NOTICE = "/sv/moderation/notice/"


def notice_data(post: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "name": "Eva Visitor",
        "email": "eva@example.com",
        "url": "https://patientvoice.example" + post.thread.get_absolute_url(),
        "illegal_type": "defamation",
        "explanation": "It says my clinic sells fake medicine, which is false.",
        "good_faith": "on",
        "website": "",
    }
    data.update(changes)
    return data


def test_the_address_is_the_one_the_lead_agreed():
    assert reverse("moderation:notice") == NOTICE


@pytest.mark.parametrize("role", [None, "reader", "foreign_moderator", "org_moderator", "staff"])
def test_everyone_gets_the_notice_form(role, request):
    client = Client()
    if role is not None:
        log_in(client, request.getfixturevalue(role))

    response = client.get(NOTICE)

    assert response.status_code == 200
    assert sv("notice page", "Report illegal content") in response.text
    assert 'name="good_faith"' in response.text


def test_the_honeypot_is_hidden_labelled_and_skipped_by_keyboard_and_autofill():
    page = Client().get(NOTICE).text

    field = re.search(r'<input[^>]*name="website"[^>]*>', page)
    assert field is not None
    assert 'tabindex="-1"' in field.group(0)
    assert 'autocomplete="off"' in field.group(0)
    assert sv("notice form", "Leave this field empty") in page
    hidden = re.search(r'<div class="visually-hidden"[^>]*>(.*?)</div></div>', page, re.S)
    assert hidden is not None
    assert 'name="website"' in hidden.group(1)


def test_the_address_can_be_filled_in_from_the_link(post):
    url = post.thread.get_absolute_url()

    page = Client().get(NOTICE, {"url": url}).text

    assert f'value="{url}"' in page


def test_a_visitor_sends_a_notice_and_gets_the_reference_and_an_e_mail(
    post, django_capture_on_commit_callbacks
):
    client = Client()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NOTICE, notice_data(post))

    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:notice_sent")
    assert report.is_notice
    assert report.good_faith
    assert (report.reporter, report.reporter_email, report.illegal_type) == (
        None,
        "eva@example.com",
        "defamation",
    )
    assert report.object_id == post.thread.posts.order_by("position").first().pk
    page = client.get(response["Location"]).text
    assert f'<strong><span class="reference">{report.reference}</span></strong>' in page
    assert sv("notice page", "What happens next") in page
    assert [message.to for message in mail.outbox] == [["eva@example.com"]]
    assert report.reference in mail.outbox[0].subject


def test_a_signed_in_member_sends_a_notice_in_their_own_name(post, reader):
    client = Client()
    log_in(client, reader)

    response = client.post(NOTICE, notice_data(post))

    assert response.status_code == 302
    assert Report.objects.get().reporter == reader


def test_a_filled_honeypot_gets_the_same_answer_and_stores_nothing(
    post, django_capture_on_commit_callbacks
):
    client = Client()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NOTICE, notice_data(post, website="http://spam.example"))

    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:notice_sent")
    page = client.get(response["Location"]).text
    assert re.search(r"PV-\d{4}-\d{6}", page)
    assert sv("notice page", "What happens next") in page
    assert not Report.objects.exists()
    assert mail.outbox == []


def test_an_address_that_names_nothing_is_refused_with_the_text_kept(post):
    response = Client().post(NOTICE, notice_data(post, url="/sv/c/nowhere/"))

    assert response.status_code == 400
    with translation.override("sv"):
        assert str(NoticeTargetNotFound()) in response.text
    assert "which is false." in response.text
    assert 'value="Eva Visitor"' in response.text
    assert not Report.objects.exists()


def test_content_the_sender_cannot_see_is_refused_as_if_it_did_not_exist(outsider: User):
    private = CommunityFactory.create(private=True)
    post = PostFactory.create(thread=ThreadFactory.create(community=private))

    response = Client().post(NOTICE, notice_data(post))

    assert response.status_code == 400
    with translation.override("sv"):
        assert str(NoticeTargetNotFound()) in response.text
    assert not Report.objects.exists()


def test_name_and_e_mail_are_needed(post):
    response = Client().post(NOTICE, notice_data(post, name="", email=""))

    assert response.status_code == 400
    assert sv("notice form", "Give your name.") in response.text
    assert sv("notice form", "Give your e-mail address.") in response.text
    assert 'href="#id_email"' in response.text  # the summary links to the field
    assert not Report.objects.exists()


@pytest.mark.parametrize("field", ["url", "illegal_type", "explanation", "name", "email"])
def test_name_and_e_mail_are_marked_required_like_the_other_required_fields(field):
    page = Client().get(NOTICE).text

    label = re.search(rf'<label for="id_{field}">(.*?)</label>', page, re.S)
    assert label is not None
    assert label.group(1).endswith('<span aria-hidden="true">*</span>')
    assert re.search(rf'<(input|select|textarea)[^>]* required[^>]*id="id_{field}"', page)


def test_name_and_e_mail_are_not_marked_required_for_child_sexual_abuse_material(post):
    # Shown again (the address is wrong): the two fields are optional for this type.
    response = Client().post(
        NOTICE, notice_data(post, name="", email="", illegal_type="child_safety", url="/x/")
    )

    assert response.status_code == 400
    label = re.search(r'<label for="id_name">(.*?)</label>', response.text, re.S)
    assert label is not None
    assert "*" not in label.group(1)
    assert sv("notice form", "Give your name.") not in response.text


@pytest.mark.parametrize("changes", [{"name": ""}, {"email": "not an address"}])
def test_every_error_shows_in_one_pass_with_everything_typed_kept(post, changes):
    """A wrong content address and a missing name (or a bad e-mail address) are told
    together, not one round after the other."""
    data = notice_data(post, url="https://patientvoice.example/sv/c/nowhere/", **changes)
    del data["good_faith"]

    response = Client().post(NOTICE, data)

    assert response.status_code == 400
    page = response.text
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert summary is not None
    with translation.override("sv"):
        assert escape(str(NoticeTargetNotFound())) in summary.group(0)
    assert 'href="#id_url"' in summary.group(0)
    assert 'href="#id_good_faith"' in summary.group(0)
    wrong = "name" if "name" in changes else "email"
    assert f'href="#id_{wrong}"' in summary.group(0)
    # Everything typed is still there.
    assert 'value="https://patientvoice.example/sv/c/nowhere/"' in page
    assert "which is false." in page
    assert re.search(r'<option value="defamation" selected>', page)
    if wrong == "name":
        assert 'value="eva@example.com"' in page
    else:
        assert 'value="not an address"' in page
        assert 'value="Eva Visitor"' in page
    assert not Report.objects.exists()


def test_the_limit_per_network_address_is_told_together_with_the_forms_errors(post, settings):
    settings.PV_NOTICES_PER_HOUR_PER_IP = 1
    client = Client(REMOTE_ADDR="192.0.2.40")
    assert client.post(NOTICE, notice_data(post)).status_code == 302

    response = client.post(NOTICE, notice_data(post, name="", email="second@example.com"))

    assert response.status_code == 429
    with translation.override("sv"):
        assert str(FlagLimit()) in response.text
    assert sv("notice form", "Give your name.") in response.text
    assert Report.objects.count() == 1


def test_a_notice_of_child_sexual_abuse_material_may_be_anonymous(post):
    response = Client().post(
        NOTICE, notice_data(post, name="", email="", illegal_type="child_safety")
    )

    assert response.status_code == 302
    assert Report.objects.get().reporter_email == ""


def test_the_good_faith_statement_is_required(post):
    data = notice_data(post)
    del data["good_faith"]

    response = Client().post(NOTICE, data)

    assert response.status_code == 400
    assert sv("notice form", "Please confirm that you send this notice in good faith.") in (
        response.text
    )
    assert not Report.objects.exists()


def test_notices_from_one_address_are_limited_per_hour(post, settings):
    settings.PV_NOTICES_PER_HOUR_PER_IP = 2
    client = Client(REMOTE_ADDR="192.0.2.10")
    for n in range(2):
        data = notice_data(post, email=f"sender{n}@example.com")
        assert client.post(NOTICE, data).status_code == 302

    response = client.post(NOTICE, notice_data(post, email="third@example.com"))

    assert response.status_code == 429
    with translation.override("sv"):
        assert str(FlagLimit()) in response.text
    assert "which is false." in response.text  # what they wrote is kept
    assert Report.objects.count() == 2
    other = Client(REMOTE_ADDR="192.0.2.11")
    assert other.post(NOTICE, notice_data(post, email="other@example.com")).status_code == 302


def test_refused_notices_do_not_use_up_the_limit(post, settings):
    settings.PV_NOTICES_PER_HOUR_PER_IP = 1
    client = Client(REMOTE_ADDR="192.0.2.20")
    assert client.post(NOTICE, notice_data(post, url="/sv/nothing/")).status_code == 400

    assert client.post(NOTICE, notice_data(post)).status_code == 302


def test_the_limit_per_e_mail_address_of_the_backend_answers_429_too(post, settings):
    settings.PV_FLAGS_PER_HOUR = 1
    assert Client(REMOTE_ADDR="192.0.2.30").post(NOTICE, notice_data(post)).status_code == 302

    response = Client(REMOTE_ADDR="192.0.2.31").post(NOTICE, notice_data(post))

    assert response.status_code == 429
    assert Report.objects.count() == 1


def test_the_acknowledgement_page_without_a_notice_leads_to_the_form():
    response = Client().get(reverse("moderation:notice_sent"))

    assert response.status_code == 302
    assert response["Location"] == NOTICE


def test_the_contact_page_links_to_the_notice_form():
    page = Client().get(reverse("contact")).text

    assert f'href="{NOTICE}"' in page
