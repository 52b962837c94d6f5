"""The progress pages, a module per concern, under one namespace."""

from progress.urls import certificates, coverage, learning, teams

app_name = "progress"

urlpatterns = [*learning.urlpatterns, *certificates.urlpatterns, *teams.urlpatterns, *coverage.urlpatterns]
