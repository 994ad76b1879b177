"""The periodic evaluation of a period (POS step 8) and its downloads: ``evaluation_views``."""

from django.urls import path

from . import evaluation_views

urlpatterns = [
    path("evaluasi/", evaluation_views.evaluation, name="evaluation"),
    path("evaluasi/unduh.xlsx", evaluation_views.evaluation_xlsx, name="evaluation_xlsx"),
    path("evaluasi/unduh.pdf", evaluation_views.evaluation_pdf, name="evaluation_pdf"),
]
