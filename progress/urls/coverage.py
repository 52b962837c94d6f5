from django.urls import path

from progress.views import coverage

urlpatterns = [
    path("teams/<slug:team_slug>/coverage/", coverage.team_coverage, name="team_coverage"),
]
