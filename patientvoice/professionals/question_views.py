"""Pages of questions for professionals (decisions/0037): the professionals' queue
and the "Ask verified professionals" page of a thread's author."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from patientvoice.accounts.permissions import signed_in_user

from . import questions
from .errors import ProfessionalError
from .models import ProfessionalQuestion, QuestionField
from .permissions import access_question_thread, check_professional
from .question_forms import AskProfessionalsForm
from .question_queries import field_label, fields_for, question_queue

PER_PAGE = 25


@never_cache
@login_required
@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    """Acting professionals: the questions they may answer, those of the communities
    they advise first, unanswered first, then the oldest; in their profession's fields
    (``?fields=all`` for every field). 403 with the reason for everyone else."""
    user = signed_in_user(request)
    credential = check_professional(user)
    all_fields = request.GET.get("fields") == "all"
    page = Paginator(question_queue(user, credential, all_fields=all_fields), PER_PAGE).get_page(
        request.GET.get("page")
    )
    mine = sorted(fields_for(credential), key=QuestionField.values.index)
    return render(
        request,
        "professionals/question_queue.html",
        {
            "page": page,
            "all_fields": all_fields,
            "my_fields": [field_label(value) for value in mine],
            "every_field": len(mine) == len(QuestionField.values),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest, thread_id: uuid.UUID) -> HttpResponse:
    """The thread's author asks verified professionals (choosing the field), changes
    the field, or stops asking. 404 for a thread they may not see, 403 for someone
    else's; a refused form comes back (400, 409) with the choice kept."""
    user = signed_in_user(request)
    thread = access_question_thread(user, thread_id)
    question = ProfessionalQuestion.objects.filter(thread=thread).first()
    if request.method == "GET":
        form = AskProfessionalsForm(initial={"field": question.field if question else ""})
        return _ask_page(request, thread, question, form)
    form = AskProfessionalsForm(request.POST)
    if not form.is_valid():
        return _ask_page(request, thread, question, form, status=400)
    try:
        if form.cleaned_data["action"] == AskProfessionalsForm.STOP:
            questions.unmark_question(asker=user, thread=thread)
            done = pgettext("professional question", "You no longer ask verified professionals.")
        else:
            questions.mark_question(asker=user, thread=thread, field=form.cleaned_data["field"])
            done = pgettext(
                "professional question",
                "Verified professionals are asked. Their answers are marked in the discussion.",
            )
    except ProfessionalError as error:
        form.add_error(None, str(error))
        return _ask_page(request, thread, question, form, status=error.status)
    messages.success(request, done)
    return redirect(thread)


def _ask_page(
    request: HttpRequest,
    thread: object,
    question: ProfessionalQuestion | None,
    form: AskProfessionalsForm,
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "professionals/question_ask.html",
        {"thread": thread, "question": question, "form": form},
        status=status,
    )
