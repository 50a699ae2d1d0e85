"""Authentication backends: Django's and allauth's, with the signed-in person's row read
by a query compiled once (core.prepared).

Every signed-in request reads its user by primary key; building and compiling that
query costs the ORM more than running it. Both classes behave exactly as the ones they
extend (the same row, the same ``user_can_authenticate``)."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db.models import QuerySet

from patientvoice.core.prepared import PreparedObjects

from .models import User


def _user_by_pk(shape: tuple[()], values: dict[str, Any]) -> QuerySet[User, Any]:
    return User._default_manager.filter(pk=values["pk"])


USER_BY_PK = PreparedObjects[User](_user_by_pk)


def _signed_in(backend: DjangoModelBackend, user_id: Any) -> User | None:
    try:
        pk = int(user_id)
    except (TypeError, ValueError):
        return None
    found = USER_BY_PK.objects((), {"pk": pk})
    if not found or not backend.user_can_authenticate(found[0]):
        return None
    return found[0]


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        return _signed_in(self, user_id)


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id: Any) -> User | None:
        return _signed_in(self, user_id)
