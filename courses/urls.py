from django.urls import path

from courses import views

app_name = "courses"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("search/", views.search, name="search"),
    path("topics/<slug:topic_slug>/", views.topic_detail, name="topic"),
    path("topics/<slug:topic_slug>/<slug:lesson_slug>/", views.lesson_detail, name="lesson"),
]
