"""The questions of an open attempt as the attempt page's form fields, built in Python.

It is the page a city-wide contest serves most (``bench/bench_quiz.py``). Through the template
engine its questions cost about as much as the rest of the request together (a few hundred nodes
for ten questions). Here every value is escaped with ``html.escape``, which is what Django's
``escape`` filter calls; the page around the questions stays a template (``courses/attempt.html``).
"""

from html import escape

from django.template.defaultfilters import floatformat, linebreaksbr
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


def _options(kind: str, name: str, options: list[dict]) -> str:
    return "".join(
        f'<label class="option"><input type="{kind}" name="{name}" value="{escape(o["key"])}"'
        f"{' checked' if o['chosen'] else ''}> <span>{escape(o['text'])}</span></label>"
        for o in options
    )


def _answer_field(question: dict, name: str) -> str:
    kind = question["type"]
    if kind == "multiple_choice":
        return (
            f'<p class="muted question__hint">{escape(_("Choose all that apply."))}</p>'
            f'<input type="hidden" name="{name}-present" value="1">'
            + _options("checkbox", name, question["options"])
        )
    if kind == "true_false":
        labels = {"true": _("True"), "false": _("False")}
        return _options("radio", name, [{**o, "text": labels[o["key"]]} for o in question["options"]])
    if kind == "short_answer":
        return (
            f'<label class="visually-hidden" for="{name}">{escape(_("Your answer"))}</label>'
            f'<input type="text" id="{name}" name="{name}" value="{escape(question["answer"])}" '
            f'maxlength="1000" autocomplete="off" placeholder="{escape(_("Type your answer"))}">'
        )
    return _options("radio", name, question["options"])


def _fieldset(question: dict) -> str:
    name = escape(f"q-{question['id']}")
    number = _("Question %(n)s") % {"n": question["number"]}
    points = _("%(p)s pt") % {"p": floatformat(question["points"], "-2")}
    return (
        f'<fieldset class="question card" data-question="{escape(question["id"])}">'
        f'<legend class="question__legend"><span class="question__number">{escape(number)}</span> '
        f'<span class="muted">({escape(points)})</span></legend>'
        f'<p class="question__prompt">{linebreaksbr(question["prompt"], autoescape=True)}</p>'
        f"{_answer_field(question, name)}</fieldset>"
    )


def question_fields(questions: list[dict]) -> SafeString:
    """One fieldset per question of ``courses.selectors.attempt_questions(..., reveal=False)``:
    the prompt, the points and the learner's saved answer, nothing about which answer is right."""
    return mark_safe("\n".join(_fieldset(q) for q in questions))  # every value is escaped above
