from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.notification_centre, name="list"),
    path("notifications/read-all/", views.mark_all_read, name="mark_all_read"),
    path("notifications/follow/", views.follow, name="follow"),
    path("notifications/<uuid:public_id>/read/", views.mark_read, name="mark_read"),
    path("notifications/<uuid:public_id>/open/", views.open_notification, name="open"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("account/notifications/", views.preferences, name="preferences"),
]
