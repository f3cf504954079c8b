"""Learning screens: thin views over selectors and services."""

import json
import re
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponseBadRequest, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from wagtail.models import Page

from organizations.models import Officer
from organizations.scope import is_manager
from organizations.selectors import officers_for

from . import selectors, services
from .attempt_form import question_fields
from .models import CourseIndexPage, CoursePage, LessonPage, QuizAttempt, QuizPage, ReviewPolicy

REFUSALS = {
    "limit": gettext_lazy("You have used all the attempts this quiz allows."),
    "empty": gettext_lazy("This quiz has no questions yet."),
    "stale": gettext_lazy(
        "Your answers were changed in another window or tab. Check the answers below and submit again."
    ),
    "closed": gettext_lazy("This attempt is already closed."),
    "withdrawn": gettext_lazy(
        "This quiz is no longer open, so your attempt cannot be continued. Nothing was graded or recorded."
    ),
}


def _refusal(code: str) -> str:
    return str(REFUSALS[code])


def _officer_or_message(request):
    officer = Officer.objects.for_user(request.user)
    if officer is None:
        messages.error(
            request,
            _(
                "Your account is not linked to an officer record, so your learning cannot be recorded. "
                "Please ask your unit's manager to link it."
            ),
        )
    return officer


@login_required
def dashboard(request):
    officer = Officer.objects.for_user(request.user)
    context = {"officer": officer, "catalogue": CourseIndexPage.objects.live().first()}
    if officer is not None:
        context.update(selectors.dashboard(officer))
        today = timezone.localdate()
        rows = context["in_progress"] + context["completed"]
        context["required"] = selectors.required_courses(officer, today.year, today, rows)
    return render(request, "courses/dashboard.html", context)


@login_required
@require_POST
def enrol(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    officer = _officer_or_message(request)
    if officer is not None:
        _enrolment, created = services.enrol(officer=officer, course=course)
        if created:
            messages.success(request, _("You are enrolled in “%(course)s”.") % {"course": course.title})
    return redirect(course.url)


ASSIGN_PAGE_SIZE = 50
_ID = re.compile(r"[0-9]{1,12}")


@login_required
def assign(request, course_id: int):
    """A unit manager assigns a course to officers of their own subtree."""
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    if not is_manager(request.user):
        raise PermissionDenied
    if request.method == "POST":
        posted = set(request.POST.getlist("officers"))
        if not all(_ID.fullmatch(value) for value in posted):
            raise Http404
        if not posted:
            messages.error(request, _("Tick at least one officer to assign the course to."))
            return redirect(request.get_full_path())
        chosen = list(Officer.objects.in_scope(request.user).filter(pk__in=[int(v) for v in posted]))
        if len(chosen) != len(posted):
            raise Http404  # someone outside the manager's scope
        count = services.assign_course(course=course, officers=chosen, by=request.user)
        messages.success(
            request,
            ngettext(
                "%(count)d officer newly enrolled in “%(course)s”.",
                "%(count)d officers newly enrolled in “%(course)s”.",
                count,
            )
            % {"count": count, "course": course.title},
        )
        return redirect(request.get_full_path())
    # Like the roster's search: a few words, no character the database cannot hold.
    query = " ".join(request.GET.get("q", "").replace("\x00", "").split()[:8])[:100]
    page = Paginator(officers_for(request.user, search=query), ASSIGN_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    enrolled = set(
        course.enrolments.filter(officer__in=[o.pk for o in page]).values_list("officer_id", flat=True)
    )
    return render(
        request,
        "courses/assign.html",
        {"course": course, "page_obj": page, "enrolled": enrolled, "query": query},
    )


def _live_item(model, pk: int):
    """A live lesson or quiz and its course, 404 unless both are live (an unpublished course's
    pages may stay live in Wagtail, but nobody learns in a withdrawn course)."""
    item = get_object_or_404(model.objects.live(), pk=pk)
    course = get_object_or_404(CoursePage.objects.live(), path=item.path[: -Page.steplen])
    return item, course


@login_required
@require_POST
def complete_lesson(request, lesson_id: int):
    lesson, course = _live_item(LessonPage, lesson_id)
    officer = _officer_or_message(request)
    if officer is None:
        return redirect(lesson.url)
    services.complete_lesson(officer=officer, lesson=lesson, user=request.user)
    status = selectors.course_status(officer, course)
    if status.is_passed:
        messages.success(request, _("Congratulations! You have completed the course."))
        return redirect("learn:dashboard")
    messages.success(request, _("Lesson completed."))
    following = request.POST.get("next") == "1" and status.next_item
    return redirect(following.url if following else lesson.url)


def _visible_course(request, course_id: int) -> CoursePage:
    """A live course the signed-in user may see (Wagtail's view restrictions apply), else 404."""
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    if not all(restriction.accept_request(request) for restriction in course.get_view_restrictions()):
        raise Http404
    return course


@login_required
def offline_bundle(request, course_id: int):
    """The list the course page's "Save for offline reading" button stores, with its size."""
    course = _visible_course(request, course_id)
    bundle = selectors.offline_bundle(course)
    count = len(bundle["lessons"])
    size = filesizeformat(bundle["bytes"])
    return JsonResponse(
        {
            "cache": f"lms-course-{course.pk}",
            "urls": bundle["urls"],
            "lessons": count,
            "bytes": bundle["bytes"],
            "label": ngettext("Save %(count)d lesson (%(size)s)", "Save %(count)d lessons (%(size)s)", count)
            % {"count": count, "size": size},
        }
    )


@login_required
@require_POST
def complete_lesson_queued(request, lesson_id: int):
    """A lesson completion the browser queued offline and sends when back online.

    Idempotent: the client's id names the completion, and a learner completes a lesson once,
    so sending it twice (a retry after a lost answer) records it once. The completion names the
    account it was made under: on a shared phone, one queued by A is refused (403) when the
    browser is now signed in as B, never recorded for B."""
    try:
        payload = json.loads(request.body or b"{}")
        client_id = uuid.UUID(str(payload.get("id")))
        made_by = str(payload["user"])
    except (ValueError, AttributeError, TypeError, KeyError):
        return HttpResponseBadRequest("bad payload")
    if made_by != str(request.user.pk):
        return HttpResponseForbidden("queued under another account")
    lesson, _course = _live_item(LessonPage, lesson_id)
    officer = Officer.objects.for_user(request.user)
    if officer is None:
        raise Http404
    completion, created = services.complete_lesson_once(officer=officer, lesson=lesson, user=request.user)
    return JsonResponse({"id": str(client_id), "completed": True, "created": created})


@login_required
@require_POST
def start_attempt(request, quiz_id: int):
    quiz, course = _live_item(QuizPage, quiz_id)
    officer = _officer_or_message(request)
    if officer is None:
        return redirect(quiz.url)
    try:
        attempt = services.start_attempt(officer=officer, quiz=quiz, course=course)
    except services.LearningError as refusal:
        messages.error(request, _refusal(refusal.code))
        return redirect(quiz.url)
    return redirect("learn:attempt", pk=attempt.pk)


def _my_attempt(request, pk: int, *, with_quiz: bool = False) -> QuizAttempt:
    """The signed-in learner's attempt with its officer (and its quiz and course), in one query.

    Another learner's attempt, or any attempt for an account that is no officer, is a 404."""
    attempts = QuizAttempt.objects.select_related("officer", *(("quiz", "course") if with_quiz else ()))
    return get_object_or_404(attempts, pk=pk, officer__user=request.user)


def _posted_answers(request, attempt: QuizAttempt) -> dict:
    answers = {}
    for question in attempt.questions:
        name = f"q-{question['id']}"
        if question["type"] == "multiple_choice":
            if name in request.POST or f"{name}-present" in request.POST:
                answers[question["id"]] = request.POST.getlist(name)
        elif name in request.POST:
            answers[question["id"]] = request.POST.get(name, "")
    return answers


def _sequence(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError, OverflowError):  # JSON's 1e999 is infinity
        return None


@login_required
def attempt(request, pk: int):
    """Take an attempt. Without JavaScript the form posts here to save or submit."""
    attempt = _my_attempt(request, pk)
    if request.method == "POST":
        return _answer(request, attempt)
    quiz, course = selectors.attempt_pages(attempt)
    if attempt.is_open and not services.pages_are_live(quiz, course):
        messages.error(request, _refusal("withdrawn"))
        return redirect("learn:dashboard")
    if attempt.is_open and attempt.is_overdue(timezone.now() - services.GRACE):
        attempt = services.close_attempt(attempt_id=attempt.pk, reason="timed_out", user=request.user)
    if not attempt.is_open:
        return redirect("learn:attempt_result", pk=attempt.pk)
    seconds_left = (
        max(0, int((attempt.deadline - timezone.now()).total_seconds())) if attempt.deadline else None
    )
    questions = selectors.attempt_questions(attempt, reveal=False)
    return render(
        request,
        "courses/attempt.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "course": course,
            "questions": questions,
            "question_fields": question_fields(questions),
            "seconds_left": seconds_left,
            # What the timer shows before (or without) the script: time left, not the quiz's limit.
            "minutes_left": -(-seconds_left // 60) if seconds_left is not None else None,
        },
    )


def _answer(request, attempt: QuizAttempt):
    """The attempt form posted (no JavaScript): save, or submit for grading. The services check
    under the attempt's lock that its quiz and course are still live."""
    if attempt.is_open and attempt.is_overdue(timezone.now() - services.GRACE):
        attempt = services.close_attempt(attempt_id=attempt.pk, reason="timed_out", user=request.user)
    if not attempt.is_open:
        return redirect("learn:attempt_result", pk=attempt.pk)
    answers = _posted_answers(request, attempt)
    sequence = _sequence(request.POST.get("sequence"))
    try:
        if request.POST.get("action") == "submit":
            attempt = services.submit_attempt(
                attempt_id=attempt.pk,
                officer=attempt.officer,
                answers=answers,
                sequence=sequence,
                user=request.user,
            )
            return redirect("learn:attempt_result", pk=attempt.pk)
        outcome = services.save_answers(
            attempt_id=attempt.pk, officer=attempt.officer, answers=answers, sequence=sequence
        )
    except services.StaleSequence:
        messages.error(request, _refusal("stale"))
        return redirect("learn:attempt", pk=attempt.pk)
    except services.QuizWithdrawn:
        messages.error(request, _refusal("withdrawn"))
        return redirect("learn:dashboard")
    if outcome.reason == "withdrawn":
        messages.error(request, _refusal("withdrawn"))
        return redirect("learn:dashboard")
    if outcome.reason == "stale":
        messages.error(request, _refusal("stale"))
    elif outcome.saved:
        messages.success(request, _("Your answers are saved."))
    return redirect("learn:attempt", pk=attempt.pk)


@login_required
@require_POST
def attempt_save(request, pk: int):
    """Autosave from the page's script: JSON in, JSON out, with the new sequence number."""
    try:
        payload = json.loads(request.body or b"{}")
        answers = payload.get("answers", {})
        tab = payload.get("tab") or ""  # the page's random token (see services.save_answers)
        if not isinstance(answers, dict) or not isinstance(tab, str):
            raise ValueError
    except (ValueError, AttributeError):
        return HttpResponseBadRequest("bad payload")
    try:
        # Scoped to the learner: another learner's attempt does not exist for them.
        outcome = services.save_answers(
            attempt_id=pk,
            user=request.user,
            answers=answers,
            sequence=_sequence(payload.get("sequence")),
            tab=tab,
        )
    except QuizAttempt.DoesNotExist:
        # Also when the quiz was deleted with its attempts: tell the page to leave, in JSON
        # (it would otherwise take an HTML 404 for a lost connection and retry for ever).
        return JsonResponse(
            {
                "saved": False,
                "reason": "missing",
                "message": _("This attempt no longer exists."),
                "redirect": reverse("learn:dashboard"),
            },
            status=404,
        )
    status = 200 if outcome.saved else 409
    body = {"saved": outcome.saved, "reason": outcome.reason, "sequence": outcome.attempt.sequence}
    if outcome.reason == "withdrawn":
        messages.error(request, _refusal("withdrawn"))  # shown on the page the script goes to
        body["message"] = _refusal("withdrawn")
        body["redirect"] = reverse("learn:dashboard")
    elif outcome.reason == "stale":
        body["message"] = _refusal("stale")
    elif outcome.reason in ("closed", "timed_out"):
        body["message"] = _("Time is up: your attempt was closed and graded with the answers saved.")
        body["redirect"] = reverse("learn:attempt_result", args=[pk])
    return JsonResponse(body, status=status)


@login_required
@require_POST
def attempt_submit(request, pk: int):
    """Submit with the answers already saved (used by the bench and scripts)."""
    officer = Officer.objects.for_user(request.user)
    try:
        services.submit_attempt(attempt_id=pk, officer=officer, user=request.user)
    except QuizAttempt.DoesNotExist:
        raise Http404 from None
    except services.QuizWithdrawn:
        messages.error(request, _refusal("withdrawn"))
        return redirect("learn:dashboard")
    return redirect("learn:attempt_result", pk=pk)


@login_required
def attempt_result(request, pk: int):
    attempt = _my_attempt(request, pk, with_quiz=True)
    if attempt.is_open:
        return redirect("learn:attempt", pk=attempt.pk)
    quiz = attempt.quiz
    mine = QuizAttempt.objects.filter(officer=attempt.officer, quiz=quiz).aggregate(
        used=Count("pk"), passed=Count("pk", filter=Q(passed=True))
    )
    reveal = selectors.may_review(attempt, passed_ever=bool(mine["passed"]))
    remaining = max(0, quiz.attempts_allowed - mine["used"]) if quiz.attempts_allowed else None
    course = attempt.course
    status = selectors.course_status(attempt.officer, course)
    return render(
        request,
        "courses/result.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "course": course,
            "status": status,
            "reveal": reveal,
            "review_policy": attempt.snapshot.get("review_policy", ReviewPolicy.NEVER),
            "attempts_remaining": remaining,
            "can_retry": not mine["passed"] and remaining != 0 and services.pages_are_live(quiz, course),
            "questions": selectors.attempt_questions(attempt, reveal=reveal),
            "course_completed": status.is_passed,
        },
    )
