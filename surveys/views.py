"""Survey results for auditors and unit managers (answering is served by the Wagtail page)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from organizations.scope import is_auditor

from . import exports, selectors
from .models import SurveyPage

TEXT_ANSWERS_PER_PAGE = 25


@login_required
def survey_list(request):
    if not selectors.can_see_results(request.user):
        raise Http404
    # Published surveys first; drafts (never published, or unpublished) after them, marked as such.
    surveys = SurveyPage.objects.order_by("-live", "-opens_on", "-pk")
    counts = selectors.survey_answer_counts(request.user)
    rows = [(survey, counts.get(survey.pk, 0)) for survey in surveys]
    return render(request, "surveys/survey_list.html", {"rows": rows})


@login_required
def results(request, page_id: int):
    page = selectors.get_survey_for_results(request.user, page_id)
    unit = selectors.get_scope_unit(request.user, request.GET.get("unit"))
    context = {
        "results": selectors.survey_results(page, request.user, unit),
        "survey": page,
        "unit": unit,
        # Wagtail's raw answers listing refuses everyone but auditors (wagtail_hooks): no dead link.
        "show_admin_answers": is_auditor(request.user) and request.user.has_perm("wagtailadmin.access_admin"),
    }
    return render(request, "surveys/results.html", context)


@login_required
def answers(request, page_id: int, question: str):
    page = selectors.get_survey_for_results(request.user, page_id)
    unit = selectors.get_scope_unit(request.user, request.GET.get("unit"))
    form_field, submissions = selectors.text_answers(page, request.user, question, unit)
    page_obj = Paginator(submissions, TEXT_ANSWERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "survey": page,
        "unit": unit,
        "question": form_field,
        "page_obj": page_obj,
        "answers": selectors.as_text_answers(form_field, page_obj.object_list),
    }
    return render(request, "surveys/answers.html", context)


@login_required
def export(request, page_id: int):
    page = selectors.get_survey_for_results(request.user, page_id)
    unit = selectors.get_scope_unit(request.user, request.GET.get("unit"))
    content = exports.results_workbook(page, request.user, unit)
    name = f"khao-sat-{page.pk}-{slugify(page.slug)[:40]}-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
