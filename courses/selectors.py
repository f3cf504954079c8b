"""Reads for the learning screens. Each runs a fixed handful of queries, whatever the course size."""

import json
from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model
from wagtail.models import Page

from organizations.models import Officer, Unit
from organizations.scope import is_manager
from training.models import Assignment, InPersonClass

from .models import (
    AttemptState,
    CoursePage,
    Enrolment,
    LessonCompletion,
    LessonPage,
    QuizAttempt,
    QuizPage,
    ReviewPolicy,
)


def course_items(course: Page) -> list[Page]:
    """The live lessons and quizzes of a course, in page-tree order (specific pages)."""
    return [
        page
        for page in course.get_children().live().specific().order_by("path")
        if isinstance(page, LessonPage | QuizPage)
    ]


@dataclass
class CourseStatus:
    items: list
    completed_lessons: set = field(default_factory=set)
    passed_quizzes: set = field(default_factory=set)
    best_percent: dict = field(default_factory=dict)

    def is_done(self, page) -> bool:
        return page.pk in self.completed_lessons or page.pk in self.passed_quizzes

    @property
    def rows(self) -> list[tuple]:
        return [(page, self.is_done(page)) for page in self.items]

    @property
    def done_count(self) -> int:
        return sum(1 for page in self.items if self.is_done(page))

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / len(self.items)) if self.items else 0

    @property
    def is_passed(self) -> bool:
        return bool(self.items) and self.done_count == len(self.items)

    @property
    def next_item(self):
        return next((page for page in self.items if not self.is_done(page)), None)

    @property
    def score(self) -> float | None:
        quiz_scores = [self.best_percent[p.pk] for p in self.items if p.pk in self.best_percent]
        return round(sum(quiz_scores) / len(quiz_scores), 1) if quiz_scores else None


def _status(officer, course_ids: list[int], items_by_course: dict) -> dict[int, CourseStatus]:
    lessons = set()
    best: dict[int, float] = {}
    if officer is not None and course_ids:
        lessons = set(
            LessonCompletion.objects.filter(officer=officer, course_id__in=course_ids).values_list(
                "lesson_id", flat=True
            )
        )
        for quiz_id, percent in QuizAttempt.objects.filter(
            officer=officer, course_id__in=course_ids, passed=True
        ).values_list("quiz_id", "percent"):
            best[quiz_id] = max(best.get(quiz_id, 0.0), float(percent))
    return {
        cid: CourseStatus(
            items=items_by_course.get(cid, []),
            completed_lessons=lessons,
            passed_quizzes=set(best),
            best_percent=best,
        )
        for cid in course_ids
    }


def course_status(officer, course: CoursePage, items: list | None = None) -> CourseStatus:
    """Progress of one learner in one course (three queries)."""
    items = course_items(course) if items is None else items
    return _status(officer, [course.pk], {course.pk: items})[course.pk]


def course_overview(course: CoursePage, user) -> dict:
    officer = Officer.objects.for_user(user)
    items = course_items(course)
    status = course_status(officer, course, items)
    enrolment = Enrolment.objects.filter(officer=officer, course=course).first() if officer else None
    return {
        "officer": officer,
        "items": items,
        "status": status,
        "enrolment": enrolment,
        "can_assign": user.is_authenticated and is_manager(user),
    }


def item_context(page: Page, user) -> dict:
    """Context for a lesson or quiz page: its course, neighbours and the learner's progress.
    Reads only: the page remembers the visit with ``services.touch_progress``."""
    course = CoursePage.objects.get(path=page.path[: -Page.steplen])
    officer = Officer.objects.for_user(user)
    items = course_items(course)
    status = course_status(officer, course, items)
    ids = [p.pk for p in items]
    index = ids.index(page.pk) if page.pk in ids else -1
    enrolment = Enrolment.objects.filter(officer=officer, course=course).first() if officer else None
    return {
        "course": course,
        "officer": officer,
        "items": items,
        "status": status,
        "enrolment": enrolment,
        "position": index + 1,
        "previous_item": items[index - 1] if index > 0 else None,
        "next_item": items[index + 1] if 0 <= index < len(items) - 1 else None,
        "is_done": status.is_done(page),
    }


def may_review(attempt: QuizAttempt, *, passed_ever: bool) -> bool:
    policy = attempt.snapshot.get("review_policy", ReviewPolicy.NEVER)
    if attempt.is_open or policy == ReviewPolicy.NEVER:
        return False
    if policy == ReviewPolicy.AFTER_PASSING:
        return passed_ever
    return True


def quiz_context(quiz: QuizPage, user) -> dict:
    context = item_context(quiz, user)
    officer = context["officer"]
    attempts = (
        list(QuizAttempt.objects.filter(officer=officer, quiz=quiz).order_by("number")) if officer else []
    )
    open_attempt = next((a for a in attempts if a.state == AttemptState.IN_PROGRESS), None)
    used = len(attempts)
    remaining = None if not quiz.attempts_allowed else max(0, quiz.attempts_allowed - used)
    finished = [a for a in attempts if not a.is_open]
    context.update(
        {
            "attempts": attempts,
            "finished_attempts": finished,
            "open_attempt": open_attempt,
            "attempts_remaining": remaining,
            "can_start": open_attempt is None and (remaining is None or remaining > 0),
            "best_attempt": max(finished, key=lambda a: a.percent or 0, default=None),
            "question_count": min(len(quiz.questions), quiz.draw_count or len(quiz.questions)),
        }
    )
    return context


def attempt_pages(attempt: QuizAttempt) -> tuple[Page | None, Page | None]:
    """The attempt's quiz and course as plain pages (title, URL, whether live), in one query: the
    attempt page needs no more, and reading them as their specific models joins four tables."""
    pages = Page.objects.in_bulk([attempt.quiz_id, attempt.course_id])
    return pages.get(attempt.quiz_id), pages.get(attempt.course_id)


def attempt_questions(attempt: QuizAttempt, *, reveal: bool) -> list[dict]:
    """Questions of an attempt as the page shows them.

    With ``reveal`` False (an open attempt, or review not allowed) the result holds no
    correctness data at all: only prompts, option keys and texts, and the learner's answers.
    """
    results = {r["id"]: r for r in attempt.results} if reveal else {}
    shown = []
    for number, question in enumerate(attempt.questions, start=1):
        answer = attempt.answers.get(question["id"])
        chosen = set(answer if isinstance(answer, list) else [answer] if answer else [])
        item = {
            "id": question["id"],
            "number": number,
            "type": question["type"],
            "prompt": question["prompt"],
            "points": question["points"],
            "answer": answer or "",
            "options": [
                {"key": o["key"], "text": o["text"], "chosen": o["key"] in chosen}
                for o in question.get("options", [])
            ],
        }
        if question["type"] == "true_false":
            item["options"] = [
                {"key": "true", "text": "true", "chosen": "true" in chosen},
                {"key": "false", "text": "false", "chosen": "false" in chosen},
            ]
        if reveal:
            result = results.get(question["id"], {})
            item.update(
                {
                    "earned": result.get("earned", 0),
                    "full_marks": result.get("correct", False),
                    "feedback": question.get("feedback", ""),
                    "right_keys": {o["key"] for o in question.get("options", []) if o.get("correct")}
                    | ({question["answer"]} if question["type"] == "true_false" else set()),
                    "accepted": question.get("accepted", []),
                }
            )
            for option in item["options"]:
                option["right"] = option["key"] in item["right_keys"]
        shown.append(item)
    return shown


@dataclass
class DashboardCourse:
    enrolment: Enrolment
    course: CoursePage
    status: CourseStatus

    @property
    def resume_page(self):
        """Where "Continue" goes: the first step not done yet, in the course's order. Only a
        completed lesson or a passed quiz is progress: a page merely opened (a quiz looked at and
        left) does not move it. A course with every step done goes back to its first step."""
        return self.status.next_item or (self.status.items[0] if self.status.items else self.course)


def dashboard(officer) -> dict:
    """My courses with progress, where to continue, what I completed, and other courses (six queries)."""
    # A course withdrawn after I completed it stays in my completed list (without its link).
    enrolments = list(
        Enrolment.objects.filter(officer=officer)
        .filter(Q(course__live=True) | Q(completed_at__isnull=False))
        .select_related("course")
        # Most recently used first; courses never opened (e.g. just assigned) after them on any database.
        .order_by(F("last_activity_at").desc(nulls_last=True), "-enrolled_at")
    )
    courses = [e.course for e in enrolments]
    items_by_course: dict[int, list] = {c.pk: [] for c in courses}
    if courses:
        by_path = {c.path: c.pk for c in courses}
        condition = Q()
        for course in courses:
            condition |= Q(path__startswith=course.path, depth=course.depth + 1)
        children = Page.objects.filter(condition).live().type(LessonPage, QuizPage).order_by("path")
        for page in children.specific(defer=True):
            items_by_course[by_path[page.path[: -Page.steplen]]].append(page)
    statuses = _status(officer, [c.pk for c in courses], items_by_course)
    rows = [DashboardCourse(e, e.course, statuses[e.course.pk]) for e in enrolments]
    in_progress = [r for r in rows if not r.enrolment.is_completed and r.course.live]
    completed = sorted(
        (r for r in rows if r.enrolment.is_completed), key=lambda r: r.enrolment.completed_at, reverse=True
    )
    others = list(CoursePage.objects.live().exclude(pk__in=[c.pk for c in courses]).order_by("path")[:6])
    return {
        "in_progress": in_progress,
        "completed": completed,
        "others": others,
        "resume": next(
            (r for r in in_progress if r.enrolment.last_page_id), in_progress[0] if in_progress else None
        ),
    }


def catalogue(index: Page, user) -> dict:
    officer = Officer.objects.for_user(user)
    courses = list(CoursePage.objects.child_of(index).live().order_by("path").select_related("cover_image"))
    enrolled = (
        dict(Enrolment.objects.filter(officer=officer).values_list("course_id", "completed_at"))
        if officer
        else {}
    )
    for course in courses:
        course.my_state = (
            None if course.pk not in enrolled else "completed" if enrolled[course.pk] else "enrolled"
        )
    return {"courses": courses, "officer": officer}


# --- Required courses: "Bắt buộc năm YYYY" at the top of /learn/ ---------------------------------

REQUIRED_STATUS_LABELS = {
    "not_started": _("Not started"),
    "in_progress": _("In progress"),
    "done": _("Completed"),
}
UPCOMING_CLASSES = 5


@dataclass
class RequiredCourse:
    assignment: Assignment
    course: CoursePage
    status: str
    row: DashboardCourse | None = None

    @property
    def status_label(self):
        return REQUIRED_STATUS_LABELS[self.status]

    @property
    def target(self):
        """Where the button goes: where to continue, or the course page to start it."""
        return self.row.resume_page if self.row is not None and self.status == "in_progress" else self.course


@dataclass
class RequiredClass:
    assignment: Assignment
    kinds: list
    classes: list = field(default_factory=list)


def required_courses(officer, year: int, today: date, rows: list | None = None) -> dict:
    """The officer's assignments for ``year``: each course with its deadline and status (not started,
    in progress, completed) and, for a requirement met only in person, the upcoming classes of its
    kinds organised by the officer's unit or a unit above it. ``rows``: the dashboard's course rows
    (where to continue). At most six queries, whatever the number of assignments."""
    assignments = list(
        Assignment.objects.active()
        .filter(officer=officer, year=year)
        .prefetch_related("requirement__class_kinds")
        .order_by("deadline", "course_id", "id")
    )
    course_ids = [a.course_id for a in assignments if a.course_id]
    courses = CoursePage.objects.in_bulk(course_ids) if course_ids else {}
    enrolments = (
        {e.course_id: e for e in Enrolment.objects.filter(officer=officer, course_id__in=course_ids)}
        if course_ids
        else {}
    )
    by_course = {row.course.pk: row for row in rows or []}
    items, in_person = [], []
    for assignment in assignments:
        if assignment.course_id is None:
            in_person.append(RequiredClass(assignment, list(assignment.requirement.class_kinds.all())))
            continue
        course = courses.get(assignment.course_id)
        if course is None or not course.live:
            continue  # unpublished since it was named: nothing to open
        enrolment = enrolments.get(course.pk)
        if enrolment is not None and enrolment.is_completed:
            status = "done"
        elif assignment.started_at or (enrolment is not None and enrolment.last_activity_at):
            status = "in_progress"
        else:
            status = "not_started"
        items.append(RequiredCourse(assignment, course, status, by_course.get(course.pk)))
    if in_person:
        unit = Unit.objects.only("path", "depth").get(pk=officer.unit_id)
        paths = [unit.path[: Unit.steplen * depth] for depth in range(1, unit.depth + 1)]
        kind_ids = {k.pk for item in in_person for k in item.kinds}
        classes = list(
            InPersonClass.objects.filter(organising_unit__path__in=paths, end_date__gte=today)
            .filter(Q(kind_id__in=kind_ids) if kind_ids else Q())
            .select_related("organising_unit", "kind")
            .order_by("start_date", "id")[: UPCOMING_CLASSES * 4]
        )
        for item in in_person:
            wanted = {k.pk for k in item.kinds}
            item.classes = [c for c in classes if not wanted or c.kind_id in wanted][:UPCOMING_CLASSES]
    return {"year": year, "courses": items, "in_person": in_person}


def ready_small_videos(lesson: LessonPage) -> dict:
    """The small copies made of a lesson's videos, by document id (one query, none without videos)."""
    from .models import SmallVideo, SmallVideoState

    ids = {
        int(block["value"]["video"])
        for block in lesson.body.raw_data
        if block["type"] == "video" and (block["value"] or {}).get("video")
    }
    if not ids:
        return {}
    ready = SmallVideo.objects.filter(document_id__in=ids, state=SmallVideoState.DONE).exclude(file="")
    return {small.document_id: small for small in ready}


# --- Saving a course for offline reading --------------------------------------------------

# The renditions the lesson blocks show (courses/templates/courses/blocks/): block type, the
# block's image field, and the same filter spec, so the saved copy is what the page asks for.
OFFLINE_RENDITIONS = (
    ("image", "image", "width-800"),
    ("video", "poster", "width-800"),
    ("example_post", "image", "width-700"),
)
# An estimate (not measured) of what a page weighs around a lesson's body: header, navigation,
# outline. The body is counted from its stored JSON, the images exactly.
PAGE_CHROME_BYTES = 9_000


def offline_bundle(course: CoursePage) -> dict:
    """What "Save for offline reading" stores for a course: the course page, its live lessons
    and quizzes (a quiz page offline says it needs a connection), and the image renditions of
    the lessons, with their total size in bytes (pages estimated, images exact). A fixed handful
    of queries; renditions that do not exist yet are made (once) here."""
    items = course_items(course)
    lessons = [item for item in items if isinstance(item, LessonPage)]
    wanted = set()  # (image id, filter spec)
    for lesson in lessons:
        for block in lesson.body.raw_data:  # the stored JSON: no query per block
            for block_type, image_field, spec in OFFLINE_RENDITIONS:
                if block["type"] == block_type and (block["value"] or {}).get(image_field):
                    wanted.add((int(block["value"][image_field]), spec))
    specs = {spec for _pk, spec in wanted}
    images = get_image_model().objects.filter(pk__in={pk for pk, _spec in wanted}).prefetch_renditions(*specs)
    renditions = [
        image.get_rendition(spec) for image in images for spec in sorted(specs) if (image.pk, spec) in wanted
    ]
    # The body's stored JSON is within a few per cent of its HTML (the HTML adds tags, the JSON
    # its keys); rendering it would query each image block's image.
    page_bytes = sum(
        len(json.dumps(list(lesson.body.raw_data), ensure_ascii=False).encode()) + PAGE_CHROME_BYTES
        for lesson in lessons
    )
    page_bytes += PAGE_CHROME_BYTES * (1 + len(items) - len(lessons))
    return {
        "course": course,
        "lessons": lessons,
        "urls": [course.url] + [item.url for item in items] + [r.url for r in renditions],
        "bytes": page_bytes + sum(r.file.size for r in renditions if r.file),
    }
