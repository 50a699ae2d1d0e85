from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from patientvoice.accounts import actions
from patientvoice.accounts.handles import canonical_handle
from patientvoice.accounts.models import ConsentPurpose, User
from patientvoice.core.testing.sessions import log_in_with_mfa

PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A member who has signed up, verified their address and consented."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.org")
    handle = factory.Sequence(lambda n: f"member_{n}x")
    handle_canonical = factory.LazyAttribute(lambda o: canonical_handle(o.handle))
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    date_joined = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    age_confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def consented(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        obj.save()
        if not create or extracted is False:
            return
        EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)
        actions.record_consents(user=obj, granted={ConsentPurpose.HEALTH_DATA.value}, language="sv")


class StaffFactory(UserFactory):
    is_staff = True


# Re-exported for tests that log people in.
login_with_mfa = log_in_with_mfa
