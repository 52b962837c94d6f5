"""Certificate expiry for teams: reminders at 60, 30 and 7 days before the date (each once, within the one
email a day), the lead's digest, the dashboard's expiring and expired cells, the evidence's validity dates."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from courses.services import topic_recertification_require
from progress.exports import dashboard_rows, evidence_rows
from progress.models import CellState, Certificate, ExpiryReminder, ReminderLog, person_name
from progress.selectors.evidence import evidence_report
from progress.selectors.teams import team_dashboard
from progress.services.renewal import expiry_reminders_send
from progress.services.teams import assignment_reminders_send


def expire_in(certificate, days: int, *, today: dt.date) -> Certificate:
    """Put the certificate's date `days` after `today` (noon, local), issued a year before."""
    noon = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(12)))
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=noon, issued_at=noon - dt.timedelta(days=365), created_at=noon - dt.timedelta(days=365)
    )
    return Certificate.objects.get(pk=certificate.pk)


@pytest.fixture
def holder_cert(team_in_every_state):
    return Certificate.objects.get(user=team_in_every_state["people"]["complete"], topic=team_in_every_state["topic"])


def test_reminders_go_at_60_30_and_7_days_each_once(holder_cert):
    start = timezone.localdate()
    expire_in(holder_cert, 70, today=start)
    sent_on = {}
    for offset in range(75):
        today = start + dt.timedelta(days=offset)
        before = len(mail.outbox)
        expiry_reminders_send(today=today)
        expiry_reminders_send(today=today)  # a second run the same day sends nothing more
        if len(mail.outbox) > before:
            sent_on[(start + dt.timedelta(days=70) - today).days] = len(mail.outbox) - before
    assert sent_on == {60: 1, 30: 1, 7: 1}
    assert sorted(ExpiryReminder.objects.values_list("days_before", flat=True)) == [7, 30, 60]
    body = mail.outbox[-1].body
    assert holder_cert.title in body and "Renew" in body and f"/topics/{holder_cert.topic.slug}/quiz/" in body


def test_an_expiry_reminder_waits_for_a_day_without_another_email(holder_cert):
    today = timezone.localdate()
    expire_in(holder_cert, 30, today=today)
    ReminderLog.objects.create(user=holder_cert.user, sent_on=today, kind="member")  # already emailed today
    assert expiry_reminders_send(today=today) == 0
    assert not ExpiryReminder.objects.exists()  # not recorded as sent: it goes on the next run
    assert ReminderLog.objects.filter(user=holder_cert.user, sent_on=today).count() == 1
    tomorrow = today + dt.timedelta(days=1)
    assert expiry_reminders_send(today=tomorrow) == 1
    assert list(ExpiryReminder.objects.values_list("days_before", "sent_on")) == [(30, tomorrow)]
    assert ReminderLog.objects.get(user=holder_cert.user, sent_on=tomorrow).kind == "expiry"


def test_a_missed_larger_threshold_is_not_sent_after_a_smaller_one(holder_cert):
    today = timezone.localdate()
    expire_in(holder_cert, 6, today=today)  # 60 and 30 were missed (e.g. every day already had an email)
    assert expiry_reminders_send(today=today) == 1
    assert list(ExpiryReminder.objects.values_list("days_before", flat=True)) == [7]
    assert expiry_reminders_send(today=today + dt.timedelta(days=1)) == 0


def test_no_reminder_for_a_certificate_that_never_expires_or_already_expired(holder_cert):
    today = timezone.localdate()
    assert holder_cert.valid_until is None
    assert expiry_reminders_send(today=today) == 0
    expire_in(holder_cert, -1, today=today)
    assert expiry_reminders_send(today=today) == 0


def test_the_leads_digest_lists_members_whose_certificates_expire_soon(team_in_every_state, holder_cert):
    today = timezone.localdate()
    expire_in(holder_cert, 20, today=today)
    assignment_reminders_send(today=today)
    lead_mail = next(m for m in mail.outbox if m.to == [team_in_every_state["lead"].email])
    assert "Certificates expiring soon in the teams you lead" in lead_mail.body
    assert f"- {person_name(holder_cert.user)}: {holder_cert.title}, valid until" in lead_mail.body
    assert "?status=expiring" in lead_mail.body
    member_mail = [m for m in mail.outbox if m.to == [holder_cert.user.email]]
    assert all(holder_cert.topic.title not in m.body for m in member_mail)  # complete work is not "due"


def cell_of(board, user, topic):
    row = next(r for r in board.rows if r.membership.user_id == user.pk)
    return row.cells[[a.topic_id for a in board.assignments].index(topic.pk)]


def test_dashboard_cells_turn_expiring_then_expired(team_in_every_state, holder_cert, admin_client):
    team, topic, holder = team_in_every_state["team"], team_in_every_state["topic"], holder_cert.user
    today = timezone.localdate()
    expire_in(holder_cert, 200, today=today)
    assert cell_of(team_dashboard(team=team), holder, topic).status == CellState.COMPLETE
    expire_in(holder_cert, 20, today=today)
    board = team_dashboard(team=team)
    cell = cell_of(board, holder, topic)
    assert cell.status == CellState.EXPIRING and cell.is_complete
    row = next(r for r in board.rows if r.membership.user_id == holder.pk)
    assert row.complete == 1  # still counted as completed work
    csv_row = next(r for r in dashboard_rows(board) if r[0] == holder.email)
    assert any(str(c).startswith("Expiring") and "valid until" in str(c) for c in csv_row)
    expire_in(holder_cert, -2, today=today)
    board = team_dashboard(team=team, status=CellState.EXPIRED)
    assert [r.membership.user_id for r in board.rows] == [holder.pk]
    assert cell_of(board, holder, topic).status == CellState.EXPIRED
    page = admin_client.get(reverse("progress:team_dashboard", args=[team.slug])).content.decode()
    assert 'data-status="expired"' in page and 'id="cell-legend"' in page
    assert "cell-expiring" in page  # the legend names both states


def test_leads_see_who_holds_a_certificate_for_an_earlier_version(team_in_every_state, holder_cert, admin_client):
    team, topic, holder = team_in_every_state["team"], team_in_every_state["topic"], holder_cert.user
    assert not cell_of(team_dashboard(team=team), holder, topic).outdated
    topic_recertification_require(topic_id=topic.pk)
    assert cell_of(team_dashboard(team=team), holder, topic).outdated
    page = admin_client.get(reverse("progress:team_dashboard", args=[team.slug])).content.decode()
    assert 'data-outdated="1"' in page
    member = admin_client.get(reverse("progress:team_member", args=[team.slug, holder.pk])).content.decode()
    assert "certificate for an earlier content version" in member


def test_the_evidence_report_shows_issued_and_valid_until(team_in_every_state, holder_cert, admin_client):
    team = team_in_every_state["team"]
    certificate = expire_in(holder_cert, 100, today=timezone.localdate())
    report = evidence_report(team=team)
    row = next(r for r in report.rows if r.certificate_code == certificate.code)
    assert row.certificate_issued_at == certificate.issued_at and row.certificate_valid_until == certificate.valid_until
    lines = list(evidence_rows(report))
    header = lines[0]
    csv_row = next(line for line in lines[1:] if line[7] == certificate.code)
    issued = header.index("certificate_issued_on")
    assert csv_row[issued] == str(timezone.localdate(certificate.issued_at))
    assert csv_row[header.index("certificate_valid_until")] == str(timezone.localdate(certificate.valid_until))
    response = admin_client.get(reverse("progress:team_evidence", args=[team.slug]))
    page = b"".join(response.streaming_content).decode()
    assert f"valid until {timezone.localdate(certificate.valid_until):%Y-%m-%d}" in page
