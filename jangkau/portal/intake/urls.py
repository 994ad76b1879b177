from django.urls import path

from . import views

urlpatterns = [
    path("ajukan/", views.intake_default, name="intake"),
    path("kantor/<slug:office_code>/ajukan/", views.start, name="intake_start"),
    path("kantor/<slug:office_code>/ajukan/periksa/", views.check, name="intake_check"),
    path(
        "kantor/<slug:office_code>/ajukan/selesai/<str:registration_number>/",
        views.done,
        name="intake_done",
    ),
    path(
        "kantor/<slug:office_code>/ajukan/tanda-terima/<str:registration_number>.pdf",
        views.receipt,
        name="intake_receipt",
    ),
    path("kantor/<slug:office_code>/ajukan/<slug:page_slug>/", views.page, name="intake_page"),
]
