"""Team email in the background: invitations, and the daily assignment reminders."""

from celery import shared_task

from progress.services import teams as team_services


@shared_task(name="progress.tasks.send_assignment_reminders", acks_late=True)
def send_assignment_reminders() -> int:
    return team_services.assignment_reminders_send()


@shared_task(name="progress.tasks.send_invitations", acks_late=True)
def send_invitations(invitation_ids: list[int]) -> int:
    return team_services.invitations_send(invitation_ids=invitation_ids)
