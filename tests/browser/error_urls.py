"""The real URLs plus one that fails, so the browser tests can see the 500 page as a person would."""

from django.urls import path

from config.urls import urlpatterns as real_urlpatterns


def fail(request):
    raise RuntimeError("a deliberate failure for the 500 page test")


urlpatterns = [path("uji/gagal/", fail), *real_urlpatterns]
