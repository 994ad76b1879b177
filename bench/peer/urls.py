from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    # helpdesk's system settings page links to the admin, as a real installation would have it.
    path("admin/", admin.site.urls),
    path("helpdesk/", include("helpdesk.urls", namespace="helpdesk")),
]
