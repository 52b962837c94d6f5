from django.urls import path

import safety_academy.converters  # noqa: F401 - registers <id:…>
from progress.views import certificates, learning, teams

app_name = "progress"

urlpatterns = [
    path("me/", learning.me, name="me"),
    path("me/profile/", learning.profile, name="profile"),
    path("me/token/", learning.api_token_create, name="token_create"),
    path("me/token/revoke/", learning.api_token_revoke, name="token_revoke"),
    path("topics/<slug:topic_slug>/enroll/", learning.enroll, name="enroll"),
    path("topics/<slug:topic_slug>/leave/", learning.leave, name="leave"),
    path(
        "topics/<slug:topic_slug>/<slug:lesson_slug>/complete/",
        learning.lesson_completion,
        {"done": True},
        name="lesson_complete",
    ),
    path(
        "topics/<slug:topic_slug>/<slug:lesson_slug>/undo/",
        learning.lesson_completion,
        {"done": False},
        name="lesson_uncomplete",
    ),
    path("certificates/<str:code>/", certificates.verify, name="certificate_verify"),
    path("certificates/<str:code>/pdf/", certificates.pdf, name="certificate_pdf"),
    path("certificates/<str:code>/credential/", certificates.credential, name="certificate_credential"),
    path(".well-known/jwks.json", certificates.jwks, name="jwks"),
    path("teams/", teams.team_list, name="team_list"),
    path("teams/<slug:team_slug>/", teams.dashboard, name="team_dashboard"),
    path("teams/<slug:team_slug>/dashboard.csv", teams.dashboard_csv, name="team_dashboard_csv"),
    path("teams/<slug:team_slug>/evidence/", teams.evidence_page, name="team_evidence"),
    path("teams/<slug:team_slug>/evidence.csv", teams.evidence_csv, name="team_evidence_csv"),
    path("teams/<slug:team_slug>/members/<id:user_id>/", teams.member_detail, name="team_member"),
    path("teams/<slug:team_slug>/members/<id:user_id>/remove/", teams.member_remove, name="team_member_remove"),
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
