from django.urls import path

from . import views

urlpatterns = [
    path("lacak/", views.track, name="track"),
]
