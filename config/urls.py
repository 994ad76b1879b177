from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from jangkau.api.urls import api
from jangkau.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("staf/", include("jangkau.backoffice.urls")),
    path("survei/", include("jangkau.surveys.urls")),
    path("", include("jangkau.portal.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
