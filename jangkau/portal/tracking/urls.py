from django.urls import path

from . import views

urlpatterns = [
    path("lacak/", views.track, name="track"),
    path("lacak/<str:registration_number>/", views.track_case, name="track_case"),
    path("lacak/<str:registration_number>/jadwal.ics", views.track_ics, name="track_ics"),
    path("lacak/<str:registration_number>/kirim-data/", views.track_missing_data, name="track_missing_data"),
    path("lacak/<str:registration_number>/jadwal-ulang/", views.track_reschedule, name="track_reschedule"),
    path("lacak/<str:registration_number>/batalkan/", views.track_cancel, name="track_cancel"),
    path("lacak/<str:registration_number>/keluar/", views.track_forget, name="track_forget"),
]
