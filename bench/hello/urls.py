"""One URL, one view: the cost of Django itself, against which every page is measured."""

from django.http import HttpResponse
from django.urls import path


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("", hello)]
