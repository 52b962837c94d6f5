from django.urls import path

import safety_academy.converters  # noqa: F401 - registers <id:…>
from progress.views import teams

urlpatterns = [
    path("teams/", teams.team_list, name="team_list"),
    path("teams/<slug:team_slug>/", teams.dashboard, name="team_dashboard"),
    path("teams/<slug:team_slug>/dashboard.csv", teams.dashboard_csv, name="team_dashboard_csv"),
    path("teams/<slug:team_slug>/evidence/", teams.evidence_page, name="team_evidence"),
    path("teams/<slug:team_slug>/evidence.csv", teams.evidence_csv, name="team_evidence_csv"),
    path("teams/<slug:team_slug>/members/<id:user_id>/", teams.member_detail, name="team_member"),
    path("teams/<slug:team_slug>/members/<id:user_id>/remove/", teams.member_remove, name="team_member_remove"),
    path("teams/<slug:team_slug>/reminders/", teams.reminders_send, name="team_reminders"),
    path(
        "teams/<slug:team_slug>/members/<id:user_id>/quiz-resets/",
        teams.member_quiz_reset,
        name="team_member_quiz_reset",
    ),
    path("teams/<slug:team_slug>/invitations/", teams.invite, name="team_invite"),
    path(
        "teams/<slug:team_slug>/invitations/<id:invitation_id>/revoke/",
        teams.invitation_revoke,
        name="team_invitation_revoke",
    ),
    path("teams/<slug:team_slug>/assignments/", teams.assignment_create, name="team_assignment_create"),
    path(
        "teams/<slug:team_slug>/assignments/<id:assignment_id>/delete/",
        teams.assignment_delete,
        name="team_assignment_delete",
    ),
    path("invitations/<str:token>/", teams.invitation_accept, name="invitation_accept"),
]
