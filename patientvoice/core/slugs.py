"""Unique slugs for things with public pages (communities, organisations, ...)."""

from __future__ import annotations

from django.db import models
from django.utils.text import slugify


def free_slug(model: type[models.Model], name: str, *, fallback: str, field: str = "slug") -> str:
    """A slug from ``name`` that no row of ``model`` has yet: "diabetes", "diabetes-2", ...

    ``fallback`` is used when ``name`` has no Latin letters or digits to slugify."""
    max_length = getattr(model._meta.get_field(field), "max_length", None) or 80
    base = slugify(name)[: max_length - 4].strip("-") or fallback
    slug, n = base, 1
    while model._default_manager.filter(**{field: slug}).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
