"""Demo courses: three Vietnamese communication-skills courses with lessons and a final quiz.

Idempotent and deterministic: pages are found by slug and block ids derive from them, so a
second run changes nothing. Pages are published through revisions, as an editor would.
"""

import json
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Page

from courses.models import CourseIndexPage, CoursePage, EnrolmentSource, LessonPage, QuizPage
from courses.services import enrol
from demo.home import home_page
from organizations.models import Officer

from .content import CHECKLIST_TEXT, COURSES

NAMESPACE = uuid.UUID("6f1c0d1e-6a0b-4c55-9a35-2b6e3a1f7c01")
INDEX_SLUG = "khoa-hoc"
DEMO_LEARNER = "hocvien@demo.vn"
INDEX_INTRO = (
    "<p>Các khoá bồi dưỡng kỹ năng truyền thông cho tuyên truyền viên, báo cáo viên, "
    "cộng tác viên dư luận xã hội và cán bộ công đoàn theo Chương trình 09/CTr-LĐLĐ. "
    "Hoàn thành khoá học được tính vào yêu cầu bồi dưỡng hằng năm và được cấp giấy chứng nhận.</p>"
)


def _id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _checklist_document():
    Document = get_document_model()
    title = "Bảng kiểm trước khi đăng bài lên mạng xã hội"
    document = Document.objects.filter(title=title).first()
    if document is None:
        document = Document(title=title)
        document.file.save("bang-kiem-dang-bai.txt", ContentFile(CHECKLIST_TEXT.encode("utf-8")), save=False)
        document.save()
    return document


def _lesson_blocks(prefix: str, blocks: list, documents: dict) -> list[dict]:
    stream = []
    for n, block in enumerate(blocks):
        kind = block[0]
        if kind == "p":
            value, block_type = block[1], "paragraph"
        elif kind == "h":
            value, block_type = {"text": block[1]}, "heading"
        elif kind in ("tip", "note", "warning"):
            value, block_type = {"kind": kind, "title": block[1], "text": block[2]}, "callout"
        elif kind == "post":
            _, network, author, posted, text, reactions, comments, shares, verdict, comment = block
            block_type = "example_post"
            value = {
                "network": network,
                "author": author,
                "posted": posted,
                "text": text,
                "image": None,
                "reactions": reactions,
                "comments": comments,
                "shares": shares,
                "verdict": verdict,
                "comment": comment,
            }
        elif kind == "doc":
            block_type, value = "document", {"document": documents[block[1]].pk, "label": block[2]}
        else:  # pragma: no cover - content is fixed
            raise ValueError(kind)
        stream.append({"type": block_type, "value": value, "id": _id(prefix, n)})
    return stream


def _question(prefix: str, n: int, spec: tuple) -> dict:
    kind = spec[0]
    if kind == "single":
        _, prompt, options, right, feedback = spec
        value = {"options": [{"text": t, "is_correct": i == right} for i, t in enumerate(options)]}
        block_type = "single_choice"
    elif kind == "multi":
        _, prompt, options, rights, scoring, feedback = spec
        value = {
            "options": [{"text": t, "is_correct": i in rights} for i, t in enumerate(options)],
            "scoring": scoring,
        }
        block_type = "multiple_choice"
    elif kind == "tf":
        _, prompt, answer, feedback = spec
        value, block_type = {"answer": answer}, "true_false"
    else:
        _, prompt, accepted, ignore, feedback = spec
        value = {"accepted_answers": list(accepted), "ignore_diacritics": ignore}
        block_type = "short_answer"
    value.update({"prompt": prompt, "points": 1, "feedback": feedback})
    return {"type": block_type, "value": value, "id": _id(prefix, "q", n)}


@transaction.atomic
def seed() -> dict:
    """Create the catalogue and the three courses if absent; enrol the demo learner in the first."""
    home = home_page()
    if home is None:
        return {}
    index = CourseIndexPage.objects.filter(slug=INDEX_SLUG).first()
    if index is None:
        index = _publish(
            home,
            CourseIndexPage(
                title="Khoá học trực tuyến",
                slug=INDEX_SLUG,
                intro=INDEX_INTRO,
            ),
        )
    documents = {"checklist": _checklist_document()}
    created = {}
    for spec in COURSES:
        course = CoursePage.objects.filter(slug=spec["slug"]).child_of(index).first()
        if course is None:
            course = _publish(
                index,
                CoursePage(
                    title=spec["title"],
                    slug=spec["slug"],
                    summary=spec["summary"],
                    objectives=spec["objectives"],
                    topic=spec["topic"],
                    estimated_hours=spec["hours"],
                    counts_toward_requirement=True,
                    grants_certificate=True,
                ),
            )
        for lesson in spec["lessons"]:
            if not LessonPage.objects.child_of(course).filter(slug=lesson["slug"]).exists():
                _publish(
                    course,
                    LessonPage(
                        title=lesson["title"],
                        slug=lesson["slug"],
                        estimated_minutes=lesson["minutes"],
                        body=json.dumps(
                            _lesson_blocks(f"{spec['slug']}/{lesson['slug']}", lesson["blocks"], documents)
                        ),
                    ),
                )
        if not QuizPage.objects.child_of(course).exists():
            quiz = spec["quiz"]
            _publish(
                course,
                QuizPage(
                    title=quiz["title"],
                    slug="kiem-tra-cuoi-khoa",
                    intro="<p>Bài kiểm tra cuối khoá. Bạn cần đạt từ 70% để hoàn thành khoá học.</p>",
                    questions=json.dumps(
                        [_question(spec["slug"], n, q) for n, q in enumerate(quiz["questions"])]
                    ),
                    pass_mark=70,
                    attempts_allowed=3,
                    time_limit_minutes=20,
                    shuffle_questions=True,
                    shuffle_options=True,
                    # Shown after a failed attempt, the answers would give the retry away.
                    review_policy="after_passing",
                ),
            )
        created[spec["slug"]] = course
    _enrol_demo_learner(created[COURSES[0]["slug"]])
    return created


def _enrol_demo_learner(course: CoursePage) -> None:
    officer = Officer.objects.filter(user__email=DEMO_LEARNER).first()
    if officer is not None:
        enrol(officer=officer, course=course, source=EnrolmentSource.SELF)
