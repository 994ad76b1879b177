"""The SOP monitoring table of a period and the follow-up actions (RTL): ``followup_views``."""

from django.urls import path

from . import followup_views

urlpatterns = [
    path("evaluasi/pemantauan/", followup_views.monitoring_edit, name="evaluation_monitoring"),
    path("tindak-lanjut/", followup_views.followup_list, name="followups"),
    path("tindak-lanjut/baru/", followup_views.followup_new, name="followup_new"),
    path("tindak-lanjut/<int:pk>/status/", followup_views.followup_status, name="followup_status"),
]
