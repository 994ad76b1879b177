from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("terima-kasih/", views.thanks, name="thanks"),
    path("<str:token>/", views.answer, name="answer"),
]
