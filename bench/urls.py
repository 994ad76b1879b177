from django.urls import include, path

from bench.floor.views import floor

urlpatterns = [
    path("bench/floor", floor),
    path("", include("config.urls")),
]
