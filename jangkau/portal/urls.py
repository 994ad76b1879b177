from django.urls import path

from . import ikm_views, views
from .intake.urls import urlpatterns as intake_urlpatterns
from .tracking.urls import urlpatterns as tracking_urlpatterns

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("kantor/<slug:office_code>/pos/", views.pos, name="pos"),
    path("kantor/<slug:office_code>/pos.pdf", views.pos_pdf, name="pos_pdf"),
    path("kantor/<slug:office_code>/standar-pelayanan/", views.service_standards, name="service_standards"),
    path("kantor/<slug:office_code>/maklumat/", views.charter, name="charter"),
    path("kantor/<slug:office_code>/ikm/", ikm_views.ikm_list, name="ikm_list"),
    path("kantor/<slug:office_code>/ikm/<int:publication_id>/", ikm_views.ikm_detail, name="ikm_detail"),
    path("privasi/", views.privacy, name="privacy"),
    *tracking_urlpatterns,
    *intake_urlpatterns,
]
