"""Back-office pages of the notifications: the staff inbox, the delivery records, the message templates."""

from django.urls import path

from . import notification_views as views

urlpatterns = [
    path("pemberitahuan/", views.inbox, name="notifications"),
    path("pemberitahuan/dibaca/", views.inbox_read_all, name="notifications_read_all"),
    path("pemberitahuan/<int:pk>/dibaca/", views.inbox_read, name="notification_read"),
    path("pemberitahuan/templat/", views.message_templates, name="message_templates"),
    path(
        "pemberitahuan/templat/<slug:event>/<slug:language>/",
        views.message_template_edit,
        name="message_template_edit",
    ),
    path("pesan/", views.deliveries, name="messages"),
    path("pesan/<int:pk>/kirim-ulang/", views.delivery_retry, name="message_retry"),
    path("pesan/<int:pk>/tangani/", views.delivery_handle, name="message_handle"),
]
