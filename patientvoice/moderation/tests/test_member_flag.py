"""The flag page (``/moderation/flag/<kind>/<public id>/``) and the reporter's own page
of a report: who may flag what, what the form asks, and what the answer says."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from patientvoice.accounts.models import User
from patientvoice.communities.models import Post
from patientvoice.moderation.errors import FlagLimit
from patientvoice.moderation.models import Report

from .factories import PHONE_BODY, CommunityFactory, PostFactory, ThreadFactory
from .pages import client_for, sv

pytestmark = pytest.mark.django_db


def flag_url(obj: Post | User) -> str:
    kind = "profile" if isinstance(obj, User) else "post"
    return reverse("moderation:flag", args=[kind, obj.public_id])


# --- who may flag ---------------------------------------------------------------------


def test_a_visitor_is_sent_to_log_in(post):
    response = Client().get(flag_url(post))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_member_who_can_see_the_post_gets_the_form(post, reader):
    response = client_for(reader).get(flag_url(post))

    assert response.status_code == 200
    assert sv("flag form", "Why are you reporting it?") in response.text
    assert post.body[:20] in response.text  # what they report, shown again


def test_the_author_cannot_report_their_own_post(post, author):
    response = client_for(author).get(flag_url(post))

    assert response.status_code == 403
    assert sv("moderation", "You cannot report your own content.") in response.text


def test_nobody_can_report_their_own_profile(author):
    assert client_for(author).get(flag_url(author)).status_code == 403


def test_a_member_can_report_someone_elses_profile(author, reader):
    response = client_for(reader).post(flag_url(author), {"reason": "spam"})

    assert response.status_code == 302
    assert Report.objects.get(reporter=reader).kind == "profile"


@pytest.mark.parametrize("role", ["foreign_moderator", "org_moderator", "staff"])
def test_moderators_and_staff_may_report_what_they_can_see(role, post, request):
    person = request.getfixturevalue(role)

    response = client_for(person, mfa=True).get(flag_url(post))

    assert response.status_code == 200


def test_a_post_in_a_private_community_is_404_for_an_outsider(outsider):
    community = CommunityFactory.create(private=True)
    post = PostFactory.create(thread=ThreadFactory.create(community=community))

    assert client_for(outsider).get(flag_url(post)).status_code == 404
    assert client_for(outsider).post(flag_url(post), {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()


def test_a_held_post_is_404_for_other_members(thread, author, reader):
    held = PostFactory.create(thread=thread, author=author, body=PHONE_BODY)

    assert client_for(reader).get(flag_url(held)).status_code == 404


def test_an_unknown_kind_or_address_is_404(post, reader):
    client = client_for(reader)

    assert client.get(reverse("moderation:flag", args=["story", post.public_id])).status_code == 404
    assert (
        client.get(reverse("moderation:flag", args=["post", reader.public_id])).status_code == 404
    )


# --- the form -------------------------------------------------------------------------


def test_every_reason_is_offered_with_a_help_line(post, reader):
    page = client_for(reader).get(flag_url(post)).text

    for value in ("medical_misinformation", "spam", "illegal", "self_harm", "other"):
        assert f'value="{value}"' in page
    assert 'aria-describedby="id_reason_0_help"' in page
    # The type of illegal content is always there, so the form works without scripts.
    assert 'name="illegal_type"' in page


def test_a_report_is_sent_and_its_page_gives_the_reference_and_what_happens_next(post, reader):
    client = client_for(reader)

    response = client.post(
        flag_url(post), {"reason": "harassment", "explanation": "Calls me names."}
    )

    report = Report.objects.get(reporter=reader)
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:my_report", args=[report.public_id])
    assert (report.reason, report.explanation, report.object_id) == (
        "harassment",
        "Calls me names.",
        post.pk,
    )
    page = client.get(response["Location"]).text
    assert report.reference in page
    assert sv("report page", "Thank you, your report is sent") in page
    assert sv("report page", "What happens next") in page


def test_reporting_again_says_you_already_reported_it_and_keeps_the_first(post, reader):
    client = client_for(reader)
    client.post(flag_url(post), {"reason": "spam"})

    response = client.post(flag_url(post), {"reason": "harassment"})

    report = Report.objects.get(reporter=reader)
    assert report.reason == "spam"
    assert response["Location"].endswith("?again=1")
    page = client.get(response["Location"]).text
    assert sv("report page", "You already reported this") in page
    assert report.reference in page


def test_a_second_report_says_so_even_when_it_is_incomplete(post, reader):
    client = client_for(reader)
    client.post(flag_url(post), {"reason": "spam"})

    response = client.post(flag_url(post), {"reason": "other", "explanation": ""})

    assert response.status_code == 302
    assert response["Location"].endswith("?again=1")
    assert Report.objects.filter(reporter=reader).count() == 1


def test_the_form_page_says_so_when_the_reader_has_reported_it_already(post, reader):
    client = client_for(reader)
    client.post(flag_url(post), {"reason": "spam"})

    page = client.get(flag_url(post)).text

    assert sv("flag page", "You already reported this.") in page
    assert Report.objects.get(reporter=reader).reference in page
    assert 'name="reason"' not in page


def test_illegal_content_needs_its_type_and_the_text_is_kept(post, reader):
    response = client_for(reader).post(
        flag_url(post), {"reason": "illegal", "explanation": "It defames my neighbour."}
    )

    assert response.status_code == 400
    assert sv("flag form", "Choose what kind of illegal content it is.") in response.text
    assert "It defames my neighbour." in response.text
    assert re.search(r'value="illegal"[^>]* checked', response.text)  # the choice stays
    assert not Report.objects.exists()


def test_illegal_content_with_its_type_is_reported_with_the_type(post, reader):
    client_for(reader).post(
        flag_url(post), {"reason": "illegal", "illegal_type": "defamation", "explanation": ""}
    )

    assert Report.objects.get(reporter=reader).illegal_type == "defamation"


def test_a_type_chosen_for_another_reason_is_not_kept(post, reader):
    client_for(reader).post(flag_url(post), {"reason": "spam", "illegal_type": "fraud"})

    assert Report.objects.get(reporter=reader).illegal_type == ""


def test_other_needs_an_explanation(post, reader):
    response = client_for(reader).post(flag_url(post), {"reason": "other", "explanation": " "})

    assert response.status_code == 400
    assert sv("flag form", "Tell us what is wrong with it.") in response.text
    assert not Report.objects.exists()


def test_no_reason_is_an_error_linked_from_the_summary(post, reader):
    response = client_for(reader).post(flag_url(post), {"explanation": "Something"})

    assert response.status_code == 400
    assert 'href="#id_reason_0"' in response.text
    assert sv("flag form", "Choose why you report this.") in response.text


def test_too_many_reports_in_an_hour_answer_429_and_keep_the_form(thread, author, reader, settings):
    settings.PV_FLAGS_PER_HOUR = 1
    first, second = (PostFactory.create(thread=thread, author=author) for _ in range(2))
    client = client_for(reader)
    client.post(flag_url(first), {"reason": "spam"})

    response = client.post(
        flag_url(second), {"reason": "other", "explanation": "Selling pills again."}
    )

    assert response.status_code == 429
    with translation.override("sv"):
        assert str(FlagLimit()) in response.text
    assert "Selling pills again." in response.text
    assert Report.objects.filter(reporter=reader).count() == 1  # the first one stays


def test_the_flag_page_links_to_the_notice_form_with_the_address(post, reader):
    page = client_for(reader).get(flag_url(post)).text

    assert reverse("moderation:notice") + "?url=" in page


# --- the reporter's page of a report --------------------------------------------------


@pytest.mark.parametrize(
    "role", ["author", "outsider", "moderator", "foreign_moderator", "org_moderator", "staff"]
)
def test_a_report_page_is_404_for_anyone_but_its_reporter(role, post, reader, request):
    client_for(reader).post(flag_url(post), {"reason": "spam"})
    url = reverse("moderation:my_report", args=[Report.objects.get().public_id])

    response = client_for(request.getfixturevalue(role), mfa=role != "author").get(url)

    assert response.status_code == 404
    assert client_for(reader).get(url).status_code == 200


def test_a_visitor_is_sent_to_log_in_from_a_report_page(post, reader):
    client_for(reader).post(flag_url(post), {"reason": "spam"})
    url = reverse("moderation:my_report", args=[Report.objects.get().public_id])

    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
