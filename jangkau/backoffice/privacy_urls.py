"""Data-subject requests (UU 27/2022): ``privacy_views``."""

from django.urls import path

from . import privacy_views

urlpatterns = [
    path("data-pribadi/", privacy_views.privacy_list, name="privacy_list"),
    path("data-pribadi/baru/", privacy_views.privacy_new, name="privacy_new"),
    path("data-pribadi/<int:pk>/", privacy_views.privacy_detail, name="privacy_detail"),
    path("data-pribadi/<int:pk>/ekspor/", privacy_views.privacy_export, name="privacy_export"),
    path("data-pribadi/<int:pk>/perbaiki/", privacy_views.privacy_correct, name="privacy_correct"),
    path("data-pribadi/<int:pk>/hapus/", privacy_views.privacy_erase, name="privacy_erase"),
    path("data-pribadi/<int:pk>/jawab/", privacy_views.privacy_close, name="privacy_close"),
]
