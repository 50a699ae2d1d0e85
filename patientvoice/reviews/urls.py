"""Review pages under /<language>/reviews/ (an entry's reviews are on its own page in
the directory; the ranked medicines of a condition are under the condition's address,
in directory/urls.py)."""

from __future__ import annotations

from django.urls import path

from . import views
from .provider_urls import urlpatterns as provider_urlpatterns

app_name = "reviews"

urlpatterns = [
    path("how-they-work/", views.how_reviews_work, name="how"),
    path("write/<str:kind>/<slug:slug>/", views.review_write, name="write"),
    path("<uuid:public_id>/", views.review_permalink, name="permalink"),
    path("<uuid:public_id>/edit/", views.review_edit, name="edit"),
    path("<uuid:public_id>/withdraw/", views.review_withdraw, name="withdraw"),
]

# Claims, replies, disputes and review notices (decisions/0032).
urlpatterns += provider_urlpatterns
