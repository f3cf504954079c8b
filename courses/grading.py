"""Grading of quiz answers, from an attempt's snapshot only. Pure functions, no database.

A snapshot question is a dict:
``{"id", "type", "prompt", "points", "feedback", ...}`` plus, by type,
``options: [{"key", "text", "correct"}]`` (single/multiple choice; ``scoring`` for multiple),
``answer: "true"|"false"`` (true/false) or ``accepted: [...]`` and ``ignore_diacritics`` (short answer).
"""

import random
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

SINGLE = "single_choice"
MULTIPLE = "multiple_choice"
TRUE_FALSE = "true_false"
SHORT = "short_answer"
QUESTION_TYPES = (SINGLE, MULTIPLE, TRUE_FALSE, SHORT)


def normalize_answer(text: str, *, ignore_diacritics: bool = False) -> str:
    """Case-insensitive, surrounding and repeated spaces ignored; optionally Vietnamese diacritics too."""
    text = unicodedata.normalize("NFC", str(text or ""))
    text = " ".join(text.split()).casefold()
    if ignore_diacritics:
        # đ is a letter of its own, not d plus a combining mark.
        text = text.replace("đ", "d")
        decomposed = unicodedata.normalize("NFD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        text = unicodedata.normalize("NFC", text)
    return text


def short_answer_matches(answer: str, accepted: list[str], *, ignore_diacritics: bool) -> bool:
    given = normalize_answer(answer, ignore_diacritics=ignore_diacritics)
    if not given:
        return False
    return any(given == normalize_answer(a, ignore_diacritics=ignore_diacritics) for a in accepted)


@dataclass
class QuestionResult:
    id: str
    earned: float  # rounded to 2 decimals, for display and storage
    points: float
    correct: bool  # full marks
    answered: bool
    exact: Fraction = Fraction(0)  # what the totals and the pass decision add up


@dataclass
class GradeResult:
    score: float
    max_score: float
    percent: float  # rounded down to 0.1, so it never shows a pass mark that was not reached
    questions: list[QuestionResult] = field(default_factory=list)
    exact_score: Fraction = Fraction(0)
    exact_max: Fraction = Fraction(0)

    def passed(self, pass_mark: float) -> bool:
        """Exact: 2 of 3 points is 66.66…%, which does not pass a mark of 67% (nor does 69.96% pass 70%)."""
        return self.exact_max > 0 and 100 * self.exact_score >= Fraction(str(pass_mark)) * self.exact_max


def _as_keys(answer) -> set[str]:
    if answer is None or answer == "":
        return set()
    if isinstance(answer, str):
        return {answer}
    if isinstance(answer, list | tuple | set):
        return {str(a) for a in answer if a not in (None, "")}
    return {str(answer)}


def grade_question(question: dict, answer) -> QuestionResult:
    """Points earned for one answer. Unknown or malformed answers earn nothing, never an error."""
    points = float(question.get("points", 1) or 0)
    kind = question.get("type")
    fraction = Fraction(0)
    answered = answer not in (None, "", [])
    if kind == SINGLE:
        correct = {o["key"] for o in question["options"] if o.get("correct")}
        chosen = _as_keys(answer)
        fraction = Fraction(len(chosen) == 1 and chosen <= correct)
    elif kind == MULTIPLE:
        keys = {o["key"] for o in question["options"]}
        correct = {o["key"] for o in question["options"] if o.get("correct")}
        wrong = keys - correct
        chosen = _as_keys(answer) & keys
        if question.get("scoring") == "partial":
            right_part = Fraction(len(chosen & correct), len(correct)) if correct else Fraction(not chosen)
            wrong_part = Fraction(len(chosen & wrong), len(wrong)) if wrong else Fraction(0)
            fraction = max(Fraction(0), right_part - wrong_part)
        else:
            fraction = Fraction(chosen == correct)
    elif kind == TRUE_FALSE:
        fraction = Fraction(isinstance(answer, str) and answer == question.get("answer"))
    elif kind == SHORT:
        text = answer if isinstance(answer, str) else ""
        fraction = Fraction(
            short_answer_matches(
                text, question.get("accepted", []), ignore_diacritics=bool(question.get("ignore_diacritics"))
            )
        )
    exact = Fraction(str(points)) * fraction  # str: 0.1 point is 1/10, not the binary float's value
    return QuestionResult(
        id=question["id"],
        earned=round(float(exact), 2),
        points=points,
        correct=fraction >= 1,
        answered=answered,
        exact=exact,
    )


def grade_attempt(snapshot: dict, answers: dict) -> GradeResult:
    """Grade every question of the snapshot against the saved answers."""
    results = [grade_question(q, (answers or {}).get(q["id"])) for q in snapshot.get("questions", [])]
    exact_score = sum((r.exact for r in results), Fraction(0))
    exact_max = sum((Fraction(str(r.points)) for r in results), Fraction(0))
    percent = _percent_down(exact_score, exact_max)
    return GradeResult(
        score=round(float(exact_score), 2),
        max_score=round(float(exact_max), 2),
        percent=percent,
        questions=results,
        exact_score=exact_score,
        exact_max=exact_max,
    )


def _percent_down(score: Fraction, maximum: Fraction) -> float:
    """score/maximum as a percentage rounded down to 0.1 (exact, no float error at the boundary)."""
    if not maximum:
        return 0.0
    tenths = (1000 * score) // maximum  # floor of the exact ratio in tenths of a percent
    return float(Decimal(tenths) / 10)


# --- Building a snapshot from the quiz's StreamField ----------------------------------


def question_from_block(block) -> dict:
    """Turn one StreamField question (a bound block) into a self-contained snapshot dict."""
    value = block.value
    question = {
        "id": str(block.id),
        "type": block.block_type,
        "prompt": value["prompt"],
        "points": float(value["points"] if value["points"] is not None else 1),
        "feedback": value.get("feedback") or "",
    }
    if block.block_type in (SINGLE, MULTIPLE):
        question["options"] = [
            {"key": str(i), "text": option["text"], "correct": bool(option["is_correct"])}
            for i, option in enumerate(value["options"])
        ]
        if block.block_type == MULTIPLE:
            question["scoring"] = value.get("scoring") or "all_or_nothing"
    elif block.block_type == TRUE_FALSE:
        question["answer"] = value["answer"]
    elif block.block_type == SHORT:
        question["accepted"] = [str(a) for a in value["accepted_answers"]]
        question["ignore_diacritics"] = bool(value.get("ignore_diacritics"))
    return question


def _rekey_options(options: list[dict], rng: random.Random) -> None:
    """Give the options of one question random keys, fresh for each attempt.

    The key is what the open attempt's HTML carries as an input's value; keyed by position in
    the editor's list it would tell a learner where the editor put the right answer (often first).
    """
    keys: list[str] = []
    while len(keys) < len(options):
        key = f"{rng.getrandbits(48):012x}"
        if key not in keys:
            keys.append(key)
    for option, key in zip(options, keys, strict=True):
        option["key"] = key


def build_snapshot(quiz, rng: random.Random | None = None) -> dict:
    """Draw and order the questions of ``quiz`` for one attempt; settings are copied in too."""
    rng = rng or random.SystemRandom()
    pool = [question_from_block(block) for block in quiz.questions]
    if quiz.draw_count and quiz.draw_count < len(pool):
        drawn_idx = sorted(rng.sample(range(len(pool)), quiz.draw_count))
        pool = [pool[i] for i in drawn_idx]
    if quiz.shuffle_questions:
        rng.shuffle(pool)
    for question in pool:
        if "options" in question:
            if quiz.shuffle_options:
                rng.shuffle(question["options"])
            _rekey_options(question["options"], rng)
    return {
        "questions": pool,
        "pass_mark": int(quiz.pass_mark),
        "review_policy": quiz.review_policy,
        "revision_id": quiz.latest_revision_id,
        "title": quiz.title,
    }
