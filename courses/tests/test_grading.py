"""Grading of every question type, from snapshot dicts (no database)."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from courses.grading import grade_attempt, grade_question, normalize_answer, short_answer_matches


def choice(kind, rights, n=4, points=2, scoring="all_or_nothing"):
    return {
        "id": "q",
        "type": kind,
        "points": points,
        "scoring": scoring,
        "options": [{"key": str(i), "text": f"o{i}", "correct": i in rights} for i in range(n)],
    }


def test_single_choice_right_wrong_and_garbage():
    q = choice("single_choice", {2})
    assert grade_question(q, "2").earned == 2
    assert grade_question(q, "1").earned == 0
    assert grade_question(q, None).earned == 0
    assert grade_question(q, ["2", "1"]).earned == 0  # two picks for a single choice
    assert grade_question(q, {"x": 1}).earned == 0


def test_multiple_choice_all_or_nothing():
    q = choice("multiple_choice", {0, 2})
    assert grade_question(q, ["0", "2"]).earned == 2
    assert grade_question(q, ["2", "0"]).correct
    assert grade_question(q, ["0"]).earned == 0
    assert grade_question(q, ["0", "1", "2"]).earned == 0


def test_multiple_choice_partial_credit():
    q = choice("multiple_choice", {0, 2}, n=4, points=4, scoring="partial")
    assert grade_question(q, ["0", "2"]).earned == 4
    assert grade_question(q, ["0"]).earned == 2  # half the right options
    assert grade_question(q, ["0", "1"]).earned == 0  # a wrong pick cancels a right one (2 wrong options)
    assert grade_question(q, ["0", "2", "1"]).earned == 2
    assert grade_question(q, ["1", "3"]).earned == 0  # never below zero
    assert grade_question(q, ["0", "0", "2", "9"]).earned == 4  # duplicates and unknown keys ignored


def test_true_false():
    q = {"id": "q", "type": "true_false", "points": 1, "answer": "false"}
    assert grade_question(q, "false").correct
    assert not grade_question(q, "true").correct
    assert grade_question(q, "").earned == 0


def test_short_answer_case_spaces_and_diacritics():
    strict = {"id": "q", "type": "short_answer", "points": 1, "accepted": ["Công đoàn cơ sở"]}
    loose = strict | {"ignore_diacritics": True}
    assert grade_question(strict, "  CÔNG   ĐOÀN cơ sở ").correct
    assert not grade_question(strict, "cong doan co so").correct
    assert grade_question(loose, "cong doan co so").correct
    assert grade_question(loose, "CONG DOAN CO SO").correct
    assert not grade_question(loose, "cong doan").correct
    assert not grade_question(loose, "   ").correct


def test_short_answer_decomposed_unicode_matches_composed():
    q = {"id": "q", "type": "short_answer", "points": 1, "accepted": ["Tuyên truyền viên"]}
    assert grade_question(q, unicodedata.normalize("NFD", "tuyên truyền viên")).correct


def test_grade_attempt_totals_and_percent():
    snapshot = {
        "questions": [
            choice("single_choice", {0}, points=1) | {"id": "a"},
            choice("multiple_choice", {0, 1}, points=3, scoring="partial") | {"id": "b"},
            {"id": "c", "type": "true_false", "points": 1, "answer": "true"},
        ]
    }
    result = grade_attempt(snapshot, {"a": "0", "b": ["0"], "c": "false", "zzz": "1"})
    assert result.score == 2.5
    assert result.max_score == 5
    assert result.percent == 50.0
    assert result.passed(50) and not result.passed(51)


def _ten_single_choices(points=1):
    return {"questions": [choice("single_choice", {0}, points=points) | {"id": str(i)} for i in range(10)]}


def test_the_pass_mark_itself_passes_and_one_point_less_does_not():
    snapshot = _ten_single_choices()
    seven = grade_attempt(snapshot, {str(i): "0" for i in range(7)})
    assert (seven.score, seven.percent) == (7, 70.0) and seven.passed(70) and not seven.passed(71)
    six = grade_attempt(snapshot, {str(i): "0" for i in range(6)})
    assert not six.passed(70)


def test_points_weight_the_questions():
    snapshot = {
        "questions": [
            choice("single_choice", {0}, points=3) | {"id": "heavy"},
            choice("single_choice", {0}, points=1) | {"id": "light"},
        ]
    }
    heavy = grade_attempt(snapshot, {"heavy": "0"})
    light = grade_attempt(snapshot, {"light": "0"})
    assert (heavy.score, heavy.max_score, heavy.percent) == (3, 4, 75.0) and heavy.passed(75)
    assert (light.score, light.percent) == (1, 25.0) and not light.passed(26)


def test_a_score_just_under_the_pass_mark_is_never_rounded_up_into_a_pass():
    # Two right options of three earn 2/3 of the point: 66.66…%, shown as 66.6, not 66.7 or 67.
    two_thirds = {"questions": [choice("multiple_choice", {0, 1, 2}, points=1, scoring="partial")]}
    result = grade_attempt(two_thirds, {"q": ["0", "1"]})
    assert result.percent == 66.6 and result.score == 0.67
    assert result.passed(66) and not result.passed(67)
    # 6.996 points of 10 is 69.96%: not 70.
    near = {"questions": [choice("single_choice", {0}, points=6.996) | {"id": "a"}]}
    near["questions"].append(choice("single_choice", {0}, points=3.004) | {"id": "b"})
    result = grade_attempt(near, {"a": "0"})
    assert result.percent == 69.9 and not result.passed(70)


@given(
    st.lists(
        st.tuples(
            st.integers(1, 5),  # right options
            st.integers(0, 4),  # wrong options
            st.integers(0, 5),  # right picked
            st.integers(0, 4),  # wrong picked
            st.sampled_from([0.5, 1, 1.5, 2, 3, 10]),  # points
        ),
        min_size=1,
        max_size=8,
    ),
    st.integers(1, 100),
)
def test_property_the_shown_percent_passes_exactly_when_the_learner_passes(rows, pass_mark):
    questions, answers = [], {}
    for i, (rights, wrongs, right_picked, wrong_picked, points) in enumerate(rows):
        question = choice(
            "multiple_choice", set(range(rights)), n=rights + wrongs, points=points, scoring="partial"
        )
        questions.append(question | {"id": str(i)})
        picked = list(range(min(right_picked, rights))) + list(
            range(rights, rights + min(wrong_picked, wrongs))
        )
        answers[str(i)] = [str(k) for k in picked]
    result = grade_attempt({"questions": questions}, answers)
    assert 0 <= result.score <= result.max_score and 0 <= result.percent <= 100
    assert result.passed(pass_mark) == (result.percent >= pass_mark)


def test_partial_credit_shares_add_up_exactly():
    # Three questions each earning a third of a point: one point, not 0.99.
    third = choice("multiple_choice", {0, 1, 2}, n=3, points=1, scoring="partial")
    snapshot = {"questions": [third | {"id": str(i)} for i in range(3)]}
    result = grade_attempt(snapshot, {str(i): ["0"] for i in range(3)})
    assert result.score == 1 and result.percent == 33.3
    assert [q.earned for q in result.questions] == [0.33, 0.33, 0.33]


def test_empty_snapshot_scores_zero_percent():
    assert grade_attempt({"questions": []}, {}).percent == 0.0


VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ "
words = st.text(alphabet=VIETNAMESE + VIETNAMESE.upper(), min_size=1, max_size=30).filter(lambda s: s.strip())


@given(words, st.text(alphabet=" \t", max_size=3), st.text(alphabet=" \t", max_size=3))
def test_property_case_and_surrounding_space_never_matter(text, left, right):
    assert short_answer_matches(left + text.upper() + right, [text.lower()], ignore_diacritics=False)
    assert short_answer_matches(left + text.upper() + right, [text.lower()], ignore_diacritics=True)


def strip_marks(text):
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@given(words)
def test_property_diacritics_ignored_only_when_asked(text):
    bare = strip_marks(text)
    assert short_answer_matches(bare, [text], ignore_diacritics=True)
    assert short_answer_matches(text, [bare], ignore_diacritics=True)
    if normalize_answer(bare) != normalize_answer(text):
        assert not short_answer_matches(bare, [text], ignore_diacritics=False)


@given(words, st.sampled_from(["NFC", "NFD"]))
def test_property_normalization_is_idempotent_and_form_independent(text, form):
    once = normalize_answer(unicodedata.normalize(form, text), ignore_diacritics=True)
    assert once == normalize_answer(once, ignore_diacritics=True)
    assert once == normalize_answer(text, ignore_diacritics=True)


# Vietnamese letters grouped by base letter, written out by hand (not derived from the code
# under test): ignoring diacritics makes letters of one family equal, never two families.
LETTER_FAMILIES = [
    "aàáảãạăằắẳẵặâầấẩẫậ",
    "eèéẻẽẹêềếểễệ",
    "iìíỉĩị",
    "oòóỏõọôồốổỗộơờớởỡợ",
    "uùúủũụưừứửữự",
    "yỳýỷỹỵ",
    "dđ",
    *"bcghklmnpqrstvx",
]
FAMILY = {letter: n for n, family in enumerate(LETTER_FAMILIES) for letter in family}


def test_letter_families_cover_the_alphabet_of_the_generated_words():
    assert set(FAMILY) == set(VIETNAMESE) - {" "}
    assert len(FAMILY) == sum(len(family) for family in LETTER_FAMILIES)  # no letter twice


def test_letters_of_different_families_never_match_and_of_one_family_only_without_marks():
    # Every pair of letters, exhaustively; the property tests below vary the surrounding word.
    for a in FAMILY:
        for b in FAMILY:
            if a == b:
                continue
            same = FAMILY[a] == FAMILY[b]
            word_a, word_b = f"c{a}n", f"C{b.upper()}N"
            assert not short_answer_matches(word_a, [word_b], ignore_diacritics=False), (a, b)
            assert short_answer_matches(word_a, [word_b], ignore_diacritics=True) == same, (a, b)


def _changed_words(data, *, same_family: bool):
    """A generated word, and that word with one letter replaced by each letter of another
    family (or, with ``same_family``, by each other letter of its own family), in either case."""

    def has_sibling(c):
        return c != " " and len(LETTER_FAMILIES[FAMILY[c.lower()]]) > 1

    text = data.draw(words.filter(lambda s: any(map(has_sibling, s))) if same_family else words)
    positions = [i for i, c in enumerate(text) if (has_sibling(c) if same_family else c != " ")]
    i = data.draw(st.sampled_from(positions))
    was = text[i].lower()
    upper = data.draw(st.booleans())
    changed = [
        text[:i] + (c.upper() if upper else c) + text[i + 1 :]
        for c in FAMILY
        if c != was and (FAMILY[c] == FAMILY[was]) == same_family
    ]
    return text, changed


def _recase(data, text):
    """The same text with each letter's case chosen at random and spaces around it."""
    upper = data.draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    recased = "".join(c.upper() if up else c.lower() for c, up in zip(text, upper, strict=True))
    return data.draw(st.sampled_from(["", " ", "\t"])) + recased + data.draw(st.sampled_from(["", "  "]))


@given(st.data())
def test_property_another_base_letter_never_matches(data):
    accepted, changed_words = _changed_words(data, same_family=False)
    recased = data.draw(st.booleans())
    for changed in changed_words:
        shown = _recase(data, changed) if recased else changed
        for ignore_diacritics in (False, True):
            assert not short_answer_matches(shown, [accepted], ignore_diacritics=ignore_diacritics)


@given(st.data())
def test_property_another_mark_on_the_same_letter_matters_only_when_diacritics_count(data):
    # a/ă/â, d/đ, o/ô/ơ, tone marks: different letters, unless the editor ticked "ignore diacritics".
    accepted, changed_words = _changed_words(data, same_family=True)
    for changed in changed_words:
        assert not short_answer_matches(changed, [accepted], ignore_diacritics=False)
        assert short_answer_matches(changed, [accepted], ignore_diacritics=True)
        assert short_answer_matches(_recase(data, changed), [accepted], ignore_diacritics=True)


@given(st.data())
def test_property_the_same_word_in_any_case_with_spaces_around_always_matches(data):
    accepted = data.draw(words)
    for ignore_diacritics in (False, True):
        assert short_answer_matches(_recase(data, accepted), [accepted], ignore_diacritics=ignore_diacritics)
