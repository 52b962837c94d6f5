"""The progress pages, a module per concern, under one namespace."""

from progress.urls import certificates, learning, teams

app_name = "progress"

urlpatterns = [*learning.urlpatterns, *certificates.urlpatterns, *teams.urlpatterns]
