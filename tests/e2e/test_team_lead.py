"""A team lead invites a new person and assigns a topic; the person signs up through the
invitation, joins, and completes the topic; the lead's dashboard and evidence CSV show it."""

import csv
import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from progress.models import Team, TeamMembership
from progress.services.assessment import quiz_attempt_submit
from progress.services.learning import lesson_complete
from quizzes.services import quiz_attempt_start
from tests.e2e.helpers import (
    INVITATION_LINK,
    confirm_email,
    field,
    last_email_to,
    link_in_last_email,
    log_in,
    path_of,
    sign_up,
    topic_with_lessons,
)
from tests.factories import PASSWORD, UserFactory, correct_answers

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

INVITEE_EMAIL = "new.member@example.com"
INVITEE_NAME = "Grace Member"
INVITEE_PASSWORD = "another-long-password-58"


def test_lead_invites_assigns_and_sees_the_member_complete_the_topic(site, new_page, track):
    topic, lessons = topic_with_lessons(track, at_least=1, with_quiz=True)
    lead = UserFactory()
    team = Team.objects.create(slug="platform-safety", name="Platform Safety")
    TeamMembership.objects.create(team=team, user=lead, role=TeamMembership.Role.LEAD)
    due_on = timezone.localdate() + dt.timedelta(days=21)

    # The lead invites a new person and assigns a topic through the dashboard's forms.
    lead_page = new_page("lead")
    log_in(lead_page, email=lead.email, password=PASSWORD)
    # A lead of one team lands on its dashboard.
    expect(lead_page).to_have_url(re.compile(rf"/teams/{team.slug}/$"))
    expect(lead_page.get_by_role("heading", level=1, name=team.name)).to_be_visible()

    lead_page.get_by_label(field("Email addresses")).fill(INVITEE_EMAIL)
    lead_page.get_by_role("button", name="Send invitations").click()
    expect(lead_page.get_by_text(f"Invited 1: {INVITEE_EMAIL}")).to_be_visible()
    expect(lead_page.get_by_role("button", name=f"Withdraw the invitation to {INVITEE_EMAIL}")).to_be_visible()

    lead_page.get_by_label(field("Topic or category")).select_option(label=f"— {topic.title}")
    lead_page.get_by_label(field("Due on")).fill(due_on.isoformat())
    lead_page.get_by_role("button", name="Assign to the team").click()
    expect(lead_page.get_by_text(f"Assigned 1 topic(s), due {due_on:%d %b %Y}.")).to_be_visible()
    board = lead_page.get_by_role("table", name="Progress on assigned topics")
    expect(board.get_by_role("columnheader", name=topic.title)).to_be_visible()

    # The invited person follows the link from the email: signs up with that address, verifies it
    # and accepts the invitation.
    link = link_in_last_email(INVITEE_EMAIL, INVITATION_LINK)
    invitation_path = path_of(link)
    member_page = new_page("member")
    member_page.goto(invitation_path)
    expect(member_page).to_have_url(re.compile(r"/accounts/login/\?next="))
    member_page.get_by_role("main").get_by_role("link", name="sign up").click()
    expect(member_page).to_have_url(re.compile(r"/accounts/signup/"))
    sign_up(member_page, email=INVITEE_EMAIL, full_name=INVITEE_NAME, password=INVITEE_PASSWORD, go=False)
    # Confirming the address logs them in and takes them back to the invitation they followed.
    confirm_email(member_page, INVITEE_EMAIL)
    expect(member_page).to_have_url(site + invitation_path)
    expect(member_page.get_by_role("heading", level=1, name=f"Join {team.name}")).to_be_visible()
    member_page.get_by_role("button", name="Accept and join").click()
    expect(member_page).to_have_url(re.compile(r"/me/$"))
    expect(member_page.get_by_text(f"You joined {team.name}.")).to_be_visible()
    assigned_to_me = member_page.get_by_role("region", name="Assigned to you")
    expect(assigned_to_me.get_by_role("row").filter(has_text=topic.title)).to_contain_text("Not started")

    # The lead sees the new member, not started yet.
    lead_page.reload()
    member_row = board.get_by_role("row").filter(has_text=INVITEE_EMAIL)
    expect(member_row.get_by_role("rowheader")).to_contain_text(INVITEE_NAME)
    cell = member_row.locator("[data-status]")
    expect(cell).to_have_attribute("data-status", "not_started")

    # The headline strip counts them as not started and leads to the matrix filtered that way; the lead sends
    # a reminder from the row, and the row then says so.
    headline = lead_page.get_by_role("region", name="Needs attention")
    headline.get_by_role("link", name=re.compile("Not started")).click()
    expect(lead_page).to_have_url(re.compile(r"\?status=not_started$"))
    member_row.get_by_role("button", name=f"Send a reminder to {INVITEE_NAME}").click()
    expect(lead_page.get_by_text(f"Reminder sent to {INVITEE_EMAIL}.")).to_be_visible()
    expect(lead_page).to_have_url(re.compile(r"\?status=not_started$"))  # back where the lead was
    expect(member_row).to_contain_text("reminded today")
    assert "asks you to catch up" in last_email_to(INVITEE_EMAIL).body
    lead_page.goto(f"/teams/{team.slug}/")

    # The member completes the topic: every lesson, then the quiz with every answer right.
    member = get_user_model().objects.get(email=INVITEE_EMAIL)
    for lesson in lessons:
        lesson_complete(user=member, lesson=lesson)
    attempt = quiz_attempt_start(user=member, quiz=topic.quiz)
    result = quiz_attempt_submit(attempt_id=attempt.pk, user=member, answers=correct_answers(attempt))
    assert result.attempt.passed

    # The lead reloads the dashboard: the member's cell says Complete.
    lead_page.reload()
    expect(cell).to_have_attribute("data-status", "complete")
    expect(cell).to_contain_text("Complete")
    expect(member_row.get_by_role("cell").nth(1)).to_have_text("1/1")  # the topic, then the count

    # The evidence CSV lists the member and the topic.
    with lead_page.expect_download() as download_info:
        lead_page.get_by_role("link", name="Evidence CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"{team.slug}-training-evidence-")
    with open(download.path(), encoding="utf-8") as handle:
        content = handle.read()
    rows = list(csv.DictReader(io.StringIO(content)))
    matching = [row for row in rows if row["member_email"] == INVITEE_EMAIL and row["topic"] == topic.title]
    assert len(matching) == 1, content
    assert matching[0]["member_name"] == INVITEE_NAME
    assert matching[0]["best_quiz_score"] == "100"
    assert matching[0]["certificate_code"], content
    assert lead.email not in content
