from django.contrib.auth import views as auth_views
from django.urls import path

from . import (
    absence_views,
    case_views,
    queue_views,
    recap_views,
    schedule_views,
    survey_recap_views,
    survey_views,
    two_factor_views,
    views,
)
from .dossier_urls import urlpatterns as dossier_urlpatterns
from .evaluation_urls import urlpatterns as evaluation_urlpatterns
from .followup_urls import urlpatterns as followup_urlpatterns
from .ikm_publication_views import ikm_publication_withdraw, ikm_publications
from .notification_urls import urlpatterns as notification_urlpatterns
from .privacy_urls import urlpatterns as privacy_urlpatterns

app_name = "backoffice"

urlpatterns = [
    # Before "kasus/<number>/<action>/": the dossier's path would otherwise read as an action.
    *dossier_urlpatterns,
    *evaluation_urlpatterns,
    *followup_urlpatterns,
    *privacy_urlpatterns,
    *notification_urlpatterns,
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("masuk/kode/", two_factor_views.two_factor_verify, name="two_factor_verify"),
    path("masuk/aktifkan/", two_factor_views.two_factor_enrol, name="two_factor_enrol"),
    path("keamanan/", two_factor_views.account_security, name="account_security"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("pelanggaran-waktu/", views.breach_list, name="breaches"),
    path("pelanggaran-waktu/<int:step_id>/jelaskan/", views.breach_explain, name="breach_explain"),
    path("permohonan/baru/", views.intake, name="intake"),
    path("permohonan/<str:registration_number>/terkirim/", views.intake_done, name="intake_done"),
    path("kasus/", queue_views.queue, name="queue"),
    path("kasus/<str:registration_number>/", case_views.case_detail, name="case_detail"),
    path("kasus/<str:registration_number>/data-pribadi/", case_views.case_personal_data, name="case_personal_data"),
    path("kasus/<str:registration_number>/jadwal.ics", case_views.case_ics, name="case_ics"),
    path(
        "kasus/<str:registration_number>/hasil/<int:document_id>/",
        case_views.case_result_document,
        name="case_result_document",
    ),
    path("kasus/<str:registration_number>/survei/", survey_views.case_survey, name="case_survey"),
    path(
        "kasus/<str:registration_number>/survei/formulir.pdf",
        survey_views.case_survey_form_pdf,
        name="case_survey_form_pdf",
    ),
    path(
        "kasus/<str:registration_number>/survei/<slug:mode>/", survey_views.case_survey_entry, name="case_survey_entry"
    ),
    path("kasus/<str:registration_number>/<slug:action>/", case_views.case_action, name="case_action"),
    path("jadwal/", schedule_views.schedule_day, name="schedule"),
    path("survei/impor/", survey_views.survey_import, name="survey_import"),
    path("survei/rekap/", survey_recap_views.survey_recap, name="survey_recap"),
    path("survei/rekap/unduh.xlsx", survey_recap_views.survey_recap_xlsx, name="survey_recap_xlsx"),
    path("survei/rekap/unduh.pdf", survey_recap_views.survey_recap_pdf, name="survey_recap_pdf"),
    path("survei/publikasi/", ikm_publications, name="ikm_publications"),
    path("survei/publikasi/<int:pk>/tarik/", ikm_publication_withdraw, name="ikm_publication_withdraw"),
    path("rekap/", recap_views.recap, name="recap"),
    path("rekap/unduh.xlsx", recap_views.recap_xlsx, name="recap_xlsx"),
    path("rekap/unduh.pdf", recap_views.recap_pdf, name="recap_pdf"),
    path("ketidakhadiran/", absence_views.absence_list, name="absences"),
    path("ketidakhadiran/baru/", absence_views.absence_new, name="absence_new"),
    path("surat-penugasan/<int:pk>.pdf", absence_views.letter_pdf, name="letter_pdf"),
    path("surat-penugasan/<int:pk>/unggah/", absence_views.letter_upload, name="letter_upload"),
]
