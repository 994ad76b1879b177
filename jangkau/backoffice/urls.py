from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "backoffice"

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("pelanggaran-waktu/", views.breach_list, name="breaches"),
    path("pelanggaran-waktu/<int:step_id>/jelaskan/", views.breach_explain, name="breach_explain"),
    path("permohonan/baru/", views.intake, name="intake"),
    path("permohonan/<str:registration_number>/terkirim/", views.intake_done, name="intake_done"),
]
