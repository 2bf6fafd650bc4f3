"""Read-only JSON API of recommendations with their full timeline (format: README, "JSON API").

Takes the same filters as the recommendation list and returns one page at a time. Every
answer is built through the pydantic models in ``api_schema.py``, from which the OpenAPI
description (``/api/openapi.json``) is generated: what the API sends is what it describes.
"""

from django import forms
from django.core.paginator import EmptyPage, Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from .api_schema import AnswerContext, ErrorsOut, RecommendationOut, RecommendationPage
from .dictionary import api_fields
from .filters import RecommendationFilter
from .openapi import openapi_document, parameters
from .roles import Public, access
from .timeline import build_timeline, timeline_recommendations

API_PAGE_SIZE = 20


class PageForm(forms.Form):
    page = forms.IntegerField(min_value=1, required=False)


def _json(model, status=200):
    # pydantic writes the JSON itself (in Rust, UTF-8, compact): the same document as
    # model_dump() + json.dumps(), a millisecond quicker for a page of 20 timelines.
    return HttpResponse(model.model_dump_json(), status=status, content_type="application/json")


def errors_answer(errors, status=400):
    """The API's own error form: the errors per parameter (or part of the address)."""
    return _json(ErrorsOut(errors=errors), status=status)


def _answers_json(view):
    """Mark a view whose errors are JSON too (see RejectNulCharactersMiddleware)."""
    view.answers_json = True
    return view


# Read-only: every other method is answered 405 (the CSRF check would answer 403 first,
# though nothing could be context; csrf_exempt is safe on a view that refuses POST).
@access(Public)
@csrf_exempt
@require_safe
@_answers_json
def recommendations(request):
    filterset = RecommendationFilter(request.GET, request=request)
    page_form = PageForm(request.GET)
    if not filterset.is_valid() or not page_form.is_valid():
        return errors_answer(filterset.errors.get_json_data() | page_form.errors.get_json_data())
    paginator = Paginator(filterset.qs, API_PAGE_SIZE)
    try:
        page = paginator.page(page_form.cleaned_data["page"] or 1)
    except EmptyPage:
        message = _("Sidan finns inte: det finns %(pages)d sidor.") % {"pages": paginator.num_pages}
        return errors_answer({"page": [{"message": message, "code": "empty_page"}]})
    context = AnswerContext(request, timezone.localdate())

    def link(number):
        query = request.GET.copy()
        query["page"] = number
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return _json(
        RecommendationPage(
            count=paginator.count,
            page=page.number,
            pages=paginator.num_pages,
            next=link(page.next_page_number()) if page.has_next() else None,
            previous=link(page.previous_page_number()) if page.has_previous() else None,
            results=[
                RecommendationOut.of(rec, build_timeline(rec, context.today), context)
                for rec in timeline_recommendations(page.object_list, request.user)
            ],
        )
    )


@access(Public)
@require_safe
def openapi_json(request):
    return JsonResponse(openapi_document(), json_dumps_params={"ensure_ascii": False})


@access(Public)
@require_safe
def documentation(request):
    """The OpenAPI document as a page for people, rendered on the server (no scripts)."""
    return render(
        request,
        "recommendations/api_documentation.html",
        {
            "document": openapi_document(),
            "parameters": parameters(),
            "api_fields": api_fields(),
        },
    )
