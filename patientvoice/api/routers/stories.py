"""The stories API."""

from ninja import Router

router = Router(tags=["stories"])
