"""The case dossier (issue 6 item 4): the archive PDF of one case, masked by default, and the unmasked one
opened for a stated purpose. Included before "kasus/<number>/<action>/" in ``backoffice.urls``."""

from django.urls import path

from . import dossier_views

urlpatterns: list = [
    path("kasus/<str:registration_number>/berkas.pdf", dossier_views.case_dossier_pdf, name="case_dossier_pdf"),
    path(
        "kasus/<str:registration_number>/berkas-tanpa-samaran/",
        dossier_views.case_dossier_unmasked,
        name="case_dossier_unmasked",
    ),
]
