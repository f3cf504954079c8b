"""Builders for course trees used across the courses tests."""

import json
import uuid

import pytest
from wagtail.models import Collection, Locale, Page, Site

from courses.models import CourseIndexPage, CoursePage, LessonPage, QuizPage
from lms.models import HomePage


def single(prompt, options, right, points=1, feedback=""):
    return {
        "type": "single_choice",
        "id": str(uuid.uuid4()),
        "value": {
            "prompt": prompt,
            "points": points,
            "feedback": feedback,
            "options": [{"text": text, "is_correct": i == right} for i, text in enumerate(options)],
        },
    }


def multiple(prompt, options, rights, scoring="all_or_nothing", points=1, feedback=""):
    return {
        "type": "multiple_choice",
        "id": str(uuid.uuid4()),
        "value": {
            "prompt": prompt,
            "points": points,
            "feedback": feedback,
            "scoring": scoring,
            "options": [{"text": text, "is_correct": i in rights} for i, text in enumerate(options)],
        },
    }


def true_false(prompt, answer, points=1, feedback=""):
    return {
        "type": "true_false",
        "id": str(uuid.uuid4()),
        "value": {"prompt": prompt, "points": points, "feedback": feedback, "answer": answer},
    }


def short(prompt, accepted, ignore_diacritics=False, points=1, feedback=""):
    return {
        "type": "short_answer",
        "id": str(uuid.uuid4()),
        "value": {
            "prompt": prompt,
            "points": points,
            "feedback": feedback,
            "accepted_answers": list(accepted),
            "ignore_diacritics": ignore_diacritics,
        },
    }


def default_questions(n=3):
    pool = [
        single("Kênh nào phù hợp nhất để nhắn nhanh cho tổ công đoàn?", ["Zalo nhóm", "Báo giấy", "Loa"], 0),
        true_false("Nên đăng ảnh có thông tin cá nhân của người lao động khi chưa xin phép.", "false"),
        multiple("Một bài đăng tốt cần gì?", ["Tiêu đề rõ", "Ảnh thật", "Chữ in hoa toàn bộ"], {0, 1}),
        short("Viết tắt của Công đoàn cơ sở?", ["CĐCS"], ignore_diacritics=True),
    ]
    return [pool[i % len(pool)] | {"id": str(uuid.uuid4())} for i in range(n)]


def every_question_type():
    """One question of each type, each with feedback; the short answer accepts two texts."""
    return [
        single(
            "Kênh nào phù hợp nhất để nhắn nhanh cho tổ công đoàn?",
            ["Zalo nhóm", "Báo giấy", "Loa"],
            0,
            feedback="Nhóm Zalo đến tay đoàn viên nhanh nhất.",
        ),
        true_false(
            "Nên đăng ảnh có thông tin cá nhân của người lao động khi chưa xin phép.",
            "false",
            feedback="Luôn xin phép trước khi đăng ảnh của người lao động.",
        ),
        multiple(
            "Một bài đăng tốt cần gì?",
            ["Tiêu đề rõ", "Ảnh thật", "Chữ in hoa toàn bộ"],
            {0, 1},
            scoring="partial",
            feedback="Tiêu đề rõ và ảnh thật giúp bài đăng đáng tin.",
        ),
        short(
            "Cơ quan lãnh đạo của công đoàn giữa hai kỳ đại hội gọi là gì?",
            ["Ban chấp hành công đoàn", "Ban chấp hành CĐCS"],
            ignore_diacritics=True,
            feedback="Đại hội bầu ra ban chấp hành để lãnh đạo giữa hai kỳ đại hội.",
        ),
    ]


def home_page():
    """The site's home page. Wagtail's root and home pages come from migrations; a transactional
    test's flush removes them, so put them back as the migration made them."""
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    home = HomePage.objects.first()
    if home is None:
        Locale.objects.get_or_create(language_code="vi")
        root = Page.objects.filter(depth=1).first() or Page.add_root(title="Root", slug="root")
        home = root.add_child(instance=HomePage(title="Huấn luyện Công đoàn", slug="home"))
        Site.objects.all().delete()
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    return home


def course_index():
    index = CourseIndexPage.objects.first()
    if index is None:
        index = home_page().add_child(instance=CourseIndexPage(title="Khoá học", slug="khoa-hoc"))
    return index


def build_course(lessons=2, questions=None, slug=None, **quiz_fields):
    """A live course with ``lessons`` lessons followed by one quiz."""
    index = course_index()
    slug = slug or f"course-{uuid.uuid4().hex[:8]}"
    course = index.add_child(
        instance=CoursePage(
            title="Viết cho mạng xã hội",
            slug=slug,
            summary="Kỹ năng viết bài cho Facebook và Zalo.",
            estimated_hours=3,
            counts_toward_requirement=True,
            grants_certificate=True,
        )
    )
    for i in range(lessons):
        course.add_child(
            instance=LessonPage(
                title=f"Bài {i + 1}",
                slug=f"bai-{i + 1}",
                estimated_minutes=10,
                body=json.dumps(
                    [
                        {"type": "heading", "value": {"text": f"Mục {i + 1}"}, "id": str(uuid.uuid4())},
                        {"type": "paragraph", "value": "<p>Nội dung bài học.</p>", "id": str(uuid.uuid4())},
                    ]
                ),
            )
        )
    quiz_fields.setdefault("pass_mark", 60)
    quiz = course.add_child(
        instance=QuizPage(
            title="Bài kiểm tra cuối khoá",
            slug="kiem-tra",
            questions=json.dumps(questions if questions is not None else default_questions()),
            **quiz_fields,
        )
    )
    return (
        course,
        list(LessonPage.objects.child_of(course).order_by("path")),
        QuizPage.objects.get(pk=quiz.pk),
    )


@pytest.fixture
def course(db):
    return build_course()


@pytest.fixture
def officer(learner):
    return learner.officer


def right_answers(attempt):
    """The answers that earn full marks on every question of an attempt (read from its snapshot)."""
    answers = {}
    for q in attempt.questions:
        if q["type"] == "single_choice":
            answers[q["id"]] = next(o["key"] for o in q["options"] if o["correct"])
        elif q["type"] == "multiple_choice":
            answers[q["id"]] = [o["key"] for o in q["options"] if o["correct"]]
        elif q["type"] == "true_false":
            answers[q["id"]] = q["answer"]
        else:
            answers[q["id"]] = q["accepted"][0]
    return answers
