"""Editors cannot save a choice question that no learner could answer right."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from courses.models.blocks import MultipleChoiceBlock, QuestionStreamBlock, SingleChoiceBlock


def question(block, rights):
    return block.to_python(
        {
            "prompt": "Kênh nào phù hợp nhất?",
            "points": 1,
            "feedback": "",
            "scoring": "partial",
            "options": [{"text": t, "is_correct": i in rights} for i, t in enumerate(["Zalo", "Loa", "Báo"])],
        }
    )


@pytest.mark.parametrize("rights", [set(), {0, 2}])
def test_single_choice_needs_exactly_one_right_option(rights):
    block = SingleChoiceBlock()
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        block.clean(question(block, rights))
    assert "đúng một phương án đúng" in str(error.value.block_errors["options"].messages)
    assert block.clean(question(block, {1}))["options"][1]["is_correct"]


def test_multiple_choice_needs_at_least_one_right_option():
    block = MultipleChoiceBlock()
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        block.clean(question(block, set()))
    assert "ít nhất một phương án đúng" in str(error.value.block_errors["options"].messages)
    assert len([o for o in block.clean(question(block, {0, 2}))["options"] if o["is_correct"]]) == 2


def test_a_quiz_with_a_broken_question_does_not_validate():
    stream = QuestionStreamBlock()
    value = stream.to_python(
        [
            {
                "type": "single_choice",
                "value": {
                    "prompt": "?",
                    "points": 1,
                    "options": [{"text": "a", "is_correct": False}, {"text": "b", "is_correct": False}],
                },
            }
        ]
    )
    with pytest.raises(ValidationError):
        stream.clean(value)


def test_a_video_block_takes_only_files_a_phone_plays_in_the_page(db):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from courses.models.blocks import VideoBlock

    block = VideoBlock()
    handout = Document.objects.create(title="Bảng kiểm đăng bài", file=ContentFile(b"%PDF", name="bk.pdf"))
    video = Document.objects.create(title="Video", file=ContentFile(b"\0" * 64, name="clip.MP4"))
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        block.clean(block.to_python({"video": handout.pk, "poster": None, "caption": ""}))
    assert "Hãy chọn tệp video (MP4 hoặc WebM)" in str(error.value.block_errors["video"].messages)
    assert "“Bảng kiểm đăng bài”" in str(error.value.block_errors["video"].messages)
    assert block.clean(block.to_python({"video": video.pk, "poster": None, "caption": ""}))["video"] == video
