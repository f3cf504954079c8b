"""Grading of quiz answers, from an attempt's snapshot only. Pure functions, no database.

A snapshot question is a dict:
``{"id", "type", "prompt", "points", "feedback", ...}`` plus, by type,
``options: [{"key", "text", "correct"}]`` (single/multiple choice; ``scoring`` for multiple),
``answer: "true"|"false"`` (true/false) or ``accepted: [...]`` and ``ignore_diacritics`` (short answer).
"""

import random
import unicodedata
from dataclasses import dataclass, field

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
    earned: float
    points: float
    correct: bool  # full marks
    answered: bool


@dataclass
class GradeResult:
    score: float
    max_score: float
    percent: float
    questions: list[QuestionResult] = field(default_factory=list)

    def passed(self, pass_mark: float) -> bool:
        return self.percent >= float(pass_mark)


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
    fraction = 0.0
    answered = answer not in (None, "", [])
    if kind == SINGLE:
        correct = {o["key"] for o in question["options"] if o.get("correct")}
        chosen = _as_keys(answer)
        fraction = 1.0 if len(chosen) == 1 and chosen <= correct else 0.0
    elif kind == MULTIPLE:
        keys = {o["key"] for o in question["options"]}
        correct = {o["key"] for o in question["options"] if o.get("correct")}
        wrong = keys - correct
        chosen = _as_keys(answer) & keys
        if question.get("scoring") == "partial":
            right_part = len(chosen & correct) / len(correct) if correct else (0.0 if chosen else 1.0)
            wrong_part = len(chosen & wrong) / len(wrong) if wrong else 0.0
            fraction = max(0.0, right_part - wrong_part)
        else:
            fraction = 1.0 if chosen == correct else 0.0
    elif kind == TRUE_FALSE:
        fraction = 1.0 if isinstance(answer, str) and answer == question.get("answer") else 0.0
    elif kind == SHORT:
        text = answer if isinstance(answer, str) else ""
        fraction = (
            1.0
            if short_answer_matches(
                text, question.get("accepted", []), ignore_diacritics=bool(question.get("ignore_diacritics"))
            )
            else 0.0
        )
    earned = round(points * fraction, 2)
    return QuestionResult(
        id=question["id"], earned=earned, points=points, correct=fraction >= 1.0, answered=answered
    )


def grade_attempt(snapshot: dict, answers: dict) -> GradeResult:
    """Grade every question of the snapshot against the saved answers."""
    results = [grade_question(q, (answers or {}).get(q["id"])) for q in snapshot.get("questions", [])]
    score = round(sum(r.earned for r in results), 2)
    max_score = round(sum(r.points for r in results), 2)
    percent = round(100.0 * score / max_score, 1) if max_score else 0.0
    return GradeResult(score=score, max_score=max_score, percent=percent, questions=results)


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
