from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("settings/", views.settings_home, name="settings"),
    path("settings/profile/", views.profile_edit, name="profile_edit"),
    path("settings/handle/", views.handle_edit, name="handle_edit"),
    path("consent/", views.consent, name="consent"),
    path("consent/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("data/", views.data_export, name="data_export"),
    path("delete/", views.delete_account, name="delete"),
    path("deleted/", views.deleted, name="deleted"),
    path("deletion-pending/", views.erasure_pending, name="erasure_pending"),
    path("u/<str:handle>/", views.profile_detail, name="profile"),
]
