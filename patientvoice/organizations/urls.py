from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("<slug:slug>/", views.organization_detail, name="detail"),
    path("<slug:slug>/staff/", views.staff_list, name="staff"),
    path("<slug:slug>/staff/<uuid:user_id>/remove/", views.staff_remove, name="staff_remove"),
]
