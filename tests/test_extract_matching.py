"""The pairing rules shared by the draft review (extract.compare) and the extraction benchmark."""

from hypothesis import given
from hypothesis import strategies as st

from ipcompare.extract.matching import UNREADABLE, one_to_one, row_value, same_value


def test_row_value_reads_chinese_numbers_and_flags_unreadable():
    assert row_value({"value_text": "3.5亿元"}) == (3.5e8, None)
    assert row_value({"value_text": "1.2万件", "flags": ""}) == (12000.0, None)
    assert row_value({"value_text": "25亿元", "flags": "ocr_unreadable"}) == UNREADABLE
    assert row_value({"value_text": "若干"}) == UNREADABLE


def test_same_value_unreadable_only_matches_unreadable():
    assert same_value(UNREADABLE, UNREADABLE)
    assert not same_value(UNREADABLE, (1.0, None))
    assert not same_value((1.0, None), UNREADABLE)
    assert same_value((0.1 + 0.2, None), (0.3, None))
    assert not same_value((1.0, 2.0), (1.0, None))
    assert not same_value(None, (1.0, None))


def test_one_to_one_takes_best_rank_first():
    # curated 0 is closest to draft 1; curated 1 then falls back to draft 0
    assert one_to_one([(0, 5, 0, 0), (0, 1, 0, 1), (0, 2, 1, 1), (0, 9, 1, 0)]) == [(0, 1), (1, 0)]


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4), st.integers(0, 4)), max_size=30))
def test_one_to_one_uses_each_side_once_and_only_given_pairs(pairs):
    got = one_to_one(pairs)
    assert len({i for i, _ in got}) == len(got) == len({j for _, j in got})
    assert set(got) <= {(i, j) for _, i, j in pairs}
    # maximal: every given pair has a side already taken
    taken_i, taken_j = {i for i, _ in got}, {j for _, j in got}
    assert all(i in taken_i or j in taken_j for _, i, j in pairs)
