from django.urls import path

from patientvoice.reviews import views as review_views

from . import medicine_views, provider_views, views

# Mounted at the language prefix (patientvoice/urls.py): the directory has several
# top-level sections (conditions, medicines, clinics, physicians).
app_name = "directory"
urlpatterns = [
    path("conditions/", views.condition_list, name="condition_list"),
    path("conditions/<slug:slug>/", views.condition_detail, name="condition_detail"),
    # Ranked by the reviews (reviews.queries.ranked_medicines_for_condition).
    path(
        "conditions/<slug:slug>/medicines/",
        review_views.condition_medicines,
        name="condition_medicines",
    ),
    path("medicines/", medicine_views.medicine_list, name="medicine_list"),
    path("medicines/<slug:slug>/", medicine_views.medicine_detail, name="medicine_detail"),
    path("directory/suggest/", medicine_views.suggest_entry, name="suggest"),
    path("clinics/", provider_views.clinic_list, name="clinic_list"),
    path("clinics/<slug:slug>/", provider_views.clinic_detail, name="clinic_detail"),
    path("physicians/<slug:slug>/", provider_views.physician_detail, name="physician_detail"),
]
