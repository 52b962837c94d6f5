from django.urls import path

from courses import views

app_name = "courses"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("search/", views.search, name="search"),
    path("frameworks/", views.framework_list, name="frameworks"),
    path("frameworks/<slug:framework_slug>/", views.framework_detail, name="framework"),
    path("topics/<slug:topic_slug>/", views.topic_detail, name="topic"),
    path("topics/<slug:topic_slug>/<slug:lesson_slug>/", views.lesson_detail, name="lesson"),
]
