from __future__ import annotations

from django import forms
from django.utils.translation import pgettext_lazy

from .models import Post, Thread

BODY_HELP = pgettext_lazy(
    "post form",
    "You can write **bold** and *italic* text, make lists with - and add links. Do not "
    "share names, phone numbers or personal identity numbers.",
)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=pgettext_lazy("post form", "Your reply"),
        max_length=Post.MAX_BODY_LENGTH,
        min_length=2,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=BODY_HELP,
    )


class ThreadForm(forms.Form):
    title = forms.CharField(
        label=pgettext_lazy("thread form", "Title"),
        max_length=Thread._meta.get_field("title").max_length,
        min_length=4,
    )
    body = forms.CharField(
        label=pgettext_lazy("thread form", "What do you want to say or ask?"),
        max_length=Post.MAX_BODY_LENGTH,
        min_length=2,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=BODY_HELP,
    )
