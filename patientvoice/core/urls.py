from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("terms/", views.terms, name="terms"),
    path("cookies/", views.page, {"name": "cookies"}, name="cookies"),
    path("accessibility/", views.page, {"name": "accessibility"}, name="accessibility"),
    path("contact/", views.page, {"name": "contact"}, name="contact"),
    path("help/crisis/", views.page, {"name": "crisis"}, name="crisis_help"),
]
