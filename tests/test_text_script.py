"""Script shares of text (core.text_script): which writing systems a file's letters are in, and
the input doctor's warning when a system is written in another script than its reference."""

from __future__ import annotations

import pytest

from core.bleu.reading.file_set_checks import check_inputs
from core.bleu.reading.text_files import WARNING, read_text_file
from core.text_script import dominant_script, script_distance, script_shares

ENGLISH = ["The cat sat on the mat.", "It was raining in the city today."]
KOREAN = ["고양이가 매트 위에 앉았다.", "오늘 도시에 비가 내렸다."]
JAPANESE = ["猫がマットの上に座った。", "今日は町で雨が降っていた。"]
RUSSIAN = ["Кошка сидела на коврике.", "Сегодня в городе шёл дождь."]


@pytest.mark.parametrize(
    ("lines", "script"),
    [(ENGLISH, "Latin"), (KOREAN, "Hangul"), (RUSSIAN, "Cyrillic"), (["Ελληνικά"], "Greek")],
)
def test_a_one_script_text_is_all_that_script(lines, script):
    shares = script_shares(lines)
    assert shares == {script: pytest.approx(1.0)}
    assert dominant_script(shares) == script


def test_japanese_is_kana_and_han_in_their_proportions():
    shares = script_shares(["猫がいる"])  # 猫 is Han; が, い, る are kana
    assert shares == {"Han": pytest.approx(0.25), "Kana": pytest.approx(0.75)}
    assert set(script_shares(JAPANESE)) == {"Han", "Kana"}


def test_digits_punctuation_and_spaces_are_not_letters_of_any_script():
    assert script_shares(["abc 123 !?"]) == {"Latin": pytest.approx(1.0)}
    assert script_shares(["123 ... !", ""]) == {}
    assert script_shares([]) == {}


def test_shares_sum_to_one_for_mixed_text():
    shares = script_shares(["GRU는 두 개"])  # 3 Latin letters, 3 Hangul syllables
    assert shares == {"Latin": pytest.approx(0.5), "Hangul": pytest.approx(0.5)}
    assert sum(shares.values()) == pytest.approx(1.0)


def test_fullwidth_latin_and_halfwidth_katakana_count_as_their_script():
    assert script_shares(["ＡＢＣ"]) == {"Latin": pytest.approx(1.0)}
    assert script_shares(["ｶﾀｶﾅ"]) == {"Kana": pytest.approx(1.0)}


def test_distance_is_half_the_l1_distance_of_shares():
    """d(p, q) = 1/2 sum_s |p_s - q_s|: 0 for the same mix, 1 for disjoint scripts."""
    assert script_distance(script_shares(ENGLISH), script_shares(ENGLISH)) == 0.0
    assert script_distance(script_shares(ENGLISH), script_shares(KOREAN)) == pytest.approx(1.0)
    assert script_distance({"Latin": 0.5, "Hangul": 0.5}, {"Latin": 1.0}) == pytest.approx(0.5)
    assert script_distance({}, {"Latin": 1.0}) == 0.0  # no letters: nothing to compare


def _file(name: str, lines: list[str], role: str):
    return read_text_file(name, "".join(f"{s}\n" for s in lines).encode("utf-8"), role)


def test_doctor_warns_on_a_system_in_another_script_than_the_reference():
    ref = _file("ref.en", ENGLISH, "ref")
    korean = _file("out.ko", KOREAN, "sys")
    english = _file("out.en", list(reversed(ENGLISH)), "sys")
    checked = check_inputs([ref], [korean, english])
    ko, en = checked.systems
    warnings = [i.message for i in ko.issues if i.level == WARNING]
    assert len(warnings) == 1, ko.issues
    assert "out.ko" in warnings[0] and "Hangul" in warnings[0] and "Latin" in warnings[0]
    assert "ref.en" in warnings[0]
    assert not [i for i in en.issues if i.level == WARNING]  # same script: no warning
    assert checked.ok  # a warning, not an error: the file is still scored


def test_doctor_does_not_compare_the_source_with_the_reference():
    ref = _file("ref.en", ENGLISH, "ref")
    checked = check_inputs(
        [ref], [_file("out.en", ENGLISH[::-1], "sys")], _file("src.ja", JAPANESE, "src")
    )
    assert not [i for i in checked.source.issues if i.level == WARNING]


def test_a_file_with_both_a_wrong_line_count_and_script_keeps_its_error():
    ref = _file("ref.en", ENGLISH, "ref")
    short = _file("out.ko", KOREAN[:1], "sys")
    (checked,) = check_inputs([ref], [short]).systems
    assert not checked.ok  # still left out for its line count
