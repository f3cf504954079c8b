"""StreamField blocks: what a lesson is made of, and the question types of a quiz."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=200)

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "courses/blocks/heading.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=255)

    class Meta:
        icon = "image"
        label = _("Image with caption")
        template = "courses/blocks/image.html"


VIDEO_EXTENSIONS = ("mp4", "webm")


class VideoBlock(blocks.StructBlock):
    """An uploaded video file (a Wagtail document) played with HTML5 <video>: no external embeds."""

    video = DocumentChooserBlock(label=_("video file (MP4 or WebM)"))
    poster = ImageChooserBlock(label=_("poster image"), required=False)
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=255)

    def clean(self, value):
        value = super().clean(value)
        video = value.get("video")
        if video is not None and video.file_extension.lower() not in VIDEO_EXTENSIONS:
            raise StructBlockValidationError(
                block_errors={
                    "video": ValidationError(
                        _("Choose a video file (MP4 or WebM): phones cannot play “%(name)s” in the page.")
                        % {"name": video.title}
                    )
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        # The lesson page reads the small copies of all its videos in one query (small_videos).
        video = value.get("video")
        ready = (parent_context or {}).get("small_videos") or {}
        context["small"] = ready.get(video.pk) if video is not None else None
        return context

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    label = blocks.CharBlock(label=_("link text"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "courses/blocks/download.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("tip", _("Tip")), ("note", _("Note")), ("warning", _("Caution"))],
        default="tip",
    )
    title = blocks.CharBlock(label=_("title"), required=False, max_length=200)
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "help"
        label = _("Callout / tip")
        template = "courses/blocks/callout.html"


class ExamplePostBlock(blocks.StructBlock):
    """A sample social-network post shown as it would look in the feed."""

    network = blocks.ChoiceBlock(
        label=_("network"), choices=[("facebook", "Facebook"), ("zalo", "Zalo")], default="facebook"
    )
    author = blocks.CharBlock(label=_("page or account name"), max_length=120)
    posted = blocks.CharBlock(label=_("time shown"), required=False, max_length=60)
    text = blocks.TextBlock(label=_("post text"))
    image = ImageChooserBlock(label=_("image"), required=False)
    reactions = blocks.IntegerBlock(label=_("reactions"), required=False, min_value=0)
    comments = blocks.IntegerBlock(label=_("comments"), required=False, min_value=0)
    shares = blocks.IntegerBlock(label=_("shares"), required=False, min_value=0)
    verdict = blocks.ChoiceBlock(
        label=_("shown as"),
        choices=[("", _("neutral example")), ("good", _("good example")), ("bad", _("example to avoid"))],
        required=False,
    )
    comment = blocks.TextBlock(label=_("trainer's comment"), required=False)

    class Meta:
        icon = "group"
        label = _("Example post")
        template = "courses/blocks/example_post.html"


class LessonBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Rich text"),
        features=["h3", "h4", "bold", "italic", "link", "ol", "ul", "blockquote", "hr"],
        template="courses/blocks/paragraph.html",
    )
    heading = HeadingBlock()
    image = CaptionedImageBlock()
    video = VideoBlock()
    document = DownloadBlock()
    callout = CalloutBlock()
    example_post = ExamplePostBlock()


# --- Quiz questions -----------------------------------------------------------------


class OptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("option"), max_length=500)
    is_correct = blocks.BooleanBlock(label=_("correct"), required=False)

    class Meta:
        icon = "radio-full"
        label = _("Option")


class BaseQuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("question"))
    points = blocks.DecimalBlock(label=_("points"), default=1, min_value=0, decimal_places=2)
    feedback = blocks.TextBlock(
        label=_("feedback"), required=False, help_text=_("Shown in the review after grading.")
    )


def _options_error(message) -> StructBlockValidationError:
    return StructBlockValidationError(block_errors={"options": ValidationError(message)})


class SingleChoiceBlock(BaseQuestionBlock):
    options = blocks.ListBlock(OptionBlock(), label=_("options"), min_num=2)

    def clean(self, value):
        value = super().clean(value)
        if sum(1 for option in value["options"] if option["is_correct"]) != 1:
            raise _options_error(_("Tick exactly one correct option."))
        return value

    class Meta:
        icon = "radio-full"
        label = _("Single choice")


class MultipleChoiceBlock(BaseQuestionBlock):
    options = blocks.ListBlock(OptionBlock(), label=_("options"), min_num=2)
    scoring = blocks.ChoiceBlock(
        label=_("scoring"),
        choices=[("all_or_nothing", _("All or nothing")), ("partial", _("Partial credit"))],
        default="all_or_nothing",
    )

    def clean(self, value):
        value = super().clean(value)
        if not any(option["is_correct"] for option in value["options"]):
            raise _options_error(_("Tick at least one correct option."))
        return value

    class Meta:
        icon = "tick-inverse"
        label = _("Multiple choice")


class TrueFalseBlock(BaseQuestionBlock):
    answer = blocks.ChoiceBlock(
        label=_("correct answer"), choices=[("true", _("True")), ("false", _("False"))], default="true"
    )

    class Meta:
        icon = "tick"
        label = _("True / false")


class ShortAnswerBlock(BaseQuestionBlock):
    accepted_answers = blocks.ListBlock(
        blocks.CharBlock(max_length=255), label=_("accepted answers"), min_num=1
    )
    ignore_diacritics = blocks.BooleanBlock(
        label=_("ignore Vietnamese diacritics"),
        required=False,
        help_text=_("Case and surrounding spaces are always ignored."),
    )

    class Meta:
        icon = "edit"
        label = _("Short answer")


class QuestionStreamBlock(blocks.StreamBlock):
    single_choice = SingleChoiceBlock()
    multiple_choice = MultipleChoiceBlock()
    true_false = TrueFalseBlock()
    short_answer = ShortAnswerBlock()
