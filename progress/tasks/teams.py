"""Team email in the background: invitations, the daily assignment reminders, and reminders a lead sends."""

from celery import shared_task

from progress.services import teams as team_services


@shared_task(name="progress.tasks.send_assignment_reminders", acks_late=True)
def send_assignment_reminders() -> int:
    return team_services.assignment_reminders_send()


@shared_task(name="progress.tasks.send_invitations", acks_late=True)
def send_invitations(invitation_ids: list[int]) -> int:
    return team_services.invitations_send(invitation_ids=invitation_ids)


@shared_task(name="progress.tasks.send_lead_reminders", acks_late=True)
def send_lead_reminders(user_ids: list[int], team_id: int, sender_id: int | None) -> int:
    return team_services.lead_reminders_deliver(user_ids=user_ids, team_id=team_id, sender_id=sender_id)
