"""Fuzzy dates: every accepted form, every rejection, labels and EDTF that parse back."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing_app.model.dates import (
    AFTER,
    BEFORE,
    POINT,
    RANGE,
    DateError,
    FuzzyDate,
    Precision,
    interval_label,
    month_part,
    parse_date,
)

D = date
DAY, MONTH, QUARTER, PART, YEAR = (Precision.DAY, Precision.MONTH, Precision.QUARTER,
                                   Precision.PART_OF_YEAR, Precision.YEAR)

# text, kind, start, end, precision, approximate, label
ACCEPTED = [
    ("2019", POINT, D(2019, 1, 1), D(2019, 12, 31), YEAR, False, "2019"),
    ("2019-01", POINT, D(2019, 1, 1), D(2019, 1, 31), MONTH, False, "January 2019"),
    ("2024-02", POINT, D(2024, 2, 1), D(2024, 2, 29), MONTH, False, "February 2024"),
    ("2019-01-23", POINT, D(2019, 1, 23), D(2019, 1, 23), DAY, False, "23 Jan 2019"),
    ("Jan 2019", POINT, D(2019, 1, 1), D(2019, 1, 31), MONTH, False, "January 2019"),
    ("23 January 2019", POINT, D(2019, 1, 23), D(2019, 1, 23), DAY, False, "23 Jan 2019"),
    ("January 23, 2019", POINT, D(2019, 1, 23), D(2019, 1, 23), DAY, False, "23 Jan 2019"),
    ("2019 January", POINT, D(2019, 1, 1), D(2019, 1, 31), MONTH, False, "January 2019"),
    ("Monday, 23 January 2019", POINT, D(2019, 1, 23), D(2019, 1, 23), DAY, False,
     "23 Jan 2019"),
    ("early 2024", POINT, D(2024, 1, 1), D(2024, 4, 30), PART, False, "early 2024"),
    ("mid 2024", POINT, D(2024, 5, 1), D(2024, 8, 31), PART, False, "mid 2024"),
    ("late 2024", POINT, D(2024, 9, 1), D(2024, 12, 31), PART, False, "late 2024"),
    ("Late 2024", POINT, D(2024, 9, 1), D(2024, 12, 31), PART, False, "late 2024"),
    ("Q4 2024", POINT, D(2024, 10, 1), D(2024, 12, 31), QUARTER, False, "Q4 2024"),
    ("2024 Q1", POINT, D(2024, 1, 1), D(2024, 3, 31), QUARTER, False, "Q1 2024"),
    ("c. 2019", POINT, D(2019, 1, 1), D(2019, 12, 31), YEAR, True, "c. 2019"),
    ("circa 2019", POINT, D(2019, 1, 1), D(2019, 12, 31), YEAR, True, "c. 2019"),
    ("~2019", POINT, D(2019, 1, 1), D(2019, 12, 31), YEAR, True, "c. 2019"),
    ("2019~", POINT, D(2019, 1, 1), D(2019, 12, 31), YEAR, True, "c. 2019"),
    ("2019?", POINT, D(2019, 1, 1), D(2019, 12, 31), YEAR, False, "2019?"),
    ("2019%", POINT, D(2019, 1, 1), D(2019, 12, 31), YEAR, True, "c. 2019?"),
    ("c. 2024-11-04", POINT, D(2024, 11, 4), D(2024, 11, 4), DAY, True, "c. 4 Nov 2024"),
    ("2023/2024", RANGE, D(2023, 1, 1), D(2024, 12, 31), YEAR, False, "2023–2024"),
    ("2019-01-23/2019-05-13", RANGE, D(2019, 1, 23), D(2019, 5, 13), DAY, False,
     "23 Jan – 13 May 2019"),
    ("2023 to 2024", RANGE, D(2023, 1, 1), D(2024, 12, 31), YEAR, False, "2023–2024"),
    ("before 2020", BEFORE, None, D(2019, 12, 31), YEAR, False, "before 2020"),
    ("after 2019", AFTER, D(2020, 1, 1), None, YEAR, False, "after 2019"),
    ("../2019-12-31", BEFORE, None, D(2019, 12, 31), DAY, False, "before 1 Jan 2020"),
    ("../2019", BEFORE, None, D(2019, 12, 31), YEAR, False, "before 2020"),
    ("2020/..", AFTER, D(2020, 1, 1), None, YEAR, False, "after 2019"),
]


@pytest.mark.parametrize("text, kind, start, end, precision, approximate, label", ACCEPTED)
def test_accepted_forms(text, kind, start, end, precision, approximate, label):
    d = parse_date(text)
    assert (d.kind, d.start, d.end, d.precision, d.approximate) == (
        kind, start, end, precision, approximate)
    assert d.label() == label
    assert d.text == text  # kept as written, saved back unchanged


def test_precision_and_approximation_are_separate():
    late, circa = parse_date("late 2024"), parse_date("c. 2019")
    assert (late.precision, late.approximate) == (Precision.PART_OF_YEAR, False)
    assert (circa.precision, circa.approximate) == (Precision.YEAR, True)


@pytest.mark.parametrize("text, edtf", [
    ("2019", "2019"), ("2019-01", "2019-01"), ("2019-01-23", "2019-01-23"),
    ("c. 2019", "2019~"), ("2019?", "2019?"), ("2019%", "2019%"),
    ("2019-01-23/2019-05-13", "2019-01-23/2019-05-13"), ("2023/2024", "2023/2024"),
    ("before 2020", "../2019"), ("after 2019", "2020/.."),
    # no level-1 form: exported as the interval of days they cover
    ("late 2024", "2024-09-01/2024-12-31"), ("Q4 2024", "2024-10-01/2024-12-31"),
    # ... each day keeping the qualifiers
    ("c. late 2024/2025", "2024-09-01~/2025"), ("before c. Q4 2024", "../2024-09-30~"),
    ("c. Q4 2024", "2024-10-01~/2024-12-31~"), ("before c. 2020", "../2019~"),
])
def test_edtf_export(text, edtf):
    assert parse_date(text).edtf() == edtf


@pytest.mark.parametrize("text, reason", [
    ("01/02/2019", "ambiguous"),
    ("12.11.2024", "ambiguous"),
    ("14/11/24", "four-digit year"),
    ("31/02/2024", "day is out of range"),
    ("1990s", "write a decade as the range 1990/1999"),
    ("Summer 2023", "in each hemisphere"),
    # other words for an open date: refused with the form that says it, not "needs a year"
    ("pre-2020", "write “before 2020”"),
    ("prior to March 2020", "write “before March 2020”"),
    ("post-2020", "write “after 2020”"),
    ("since 2020", "write “2020/..” (from the start of 2020 on)"),
    ("by late 2024", "write “../late 2024” (up to the end of late 2024)"),
    ("until 2020", "write “../2020”"),
    ("from 2019 to 2020", "not a recognised form"),  # no advice when what follows is no date
    ("2019-02-30", "day is out of range"),
    ("2019-13", "month must be in 1..12"),
    ("sometime", "not a recognised form"),
    ("23 Foo 2019", "not a recognised form"),
    ("Monday January 2019", "weekday does not say which day"),  # dateutil: 7 Jan
    ("", "empty"),
    ("   ", "empty"),
    ("late 2O24", "four-digit year"),
    ("Jan 19", "four-digit year"),
    ("-0044", "before 1 AD"),
    ("0000", "between 0001 and 9999"),
    ("12:00 1 Jan 2019", "times of day"),
    ("2020/2019", "ends before it starts"),
    ("2019/2020/2021", "exactly two ends"),
    ("2019\u202e", "invisible"),
    ("9" * 400, "longer than"),
    ("99999999999999999999 January 2019", "not a recognised form"),
    ("２０２４", "digits as 0-9"),  # full-width: Python's int() would read 2024
    ("c. ٢٠١٩", "digits as 0-9"),  # Arabic-Indic
])
def test_rejections_say_why_and_list_accepted_forms(text, reason):
    with pytest.raises(DateError) as info:
        parse_date(text)
    message = str(info.value)
    assert reason in message
    assert "accepted forms: 2019, 2019-01" in message


@pytest.mark.parametrize("text", ["pre-2020", "post-2020", "since c. 2019", "until Q3 2024",
                                  "up to 14 Nov 2024", "prior to late 2024"])
def test_other_words_for_an_open_date_are_refused_with_a_form_that_reads(text):
    with pytest.raises(DateError) as info:
        parse_date(text)
    suggested = str(info.value).split("“", 1)[1].split("”", 1)[0]
    assert parse_date(suggested).kind in ("before", "after")


def test_a_range_is_as_coarse_approximate_and_uncertain_as_its_least_certain_end():
    d = parse_date("2019-01-23/2019?")
    assert (d.precision, d.approximate, d.uncertain) == (YEAR, False, True)
    d = parse_date("c. 2019-01/2019-05-13")
    assert (d.precision, d.approximate, d.uncertain) == (MONTH, True, False)


def test_a_range_may_end_on_the_day_it_starts():
    d = parse_date("2019-01-23/2019-01-23")
    assert (d.kind, d.start, d.end) == (RANGE, D(2019, 1, 23), D(2019, 1, 23))


@pytest.mark.parametrize("text, description", [
    ("late 2024", "part of year, Sep–Dec 2024"),
    ("c. 2019", "year, approximate, 2019"),
    ("2019?", "year, uncertain, 2019"),
    ("2023/2024", "range, 2023–2024"),
    ("2024-01-01/2024-03-15", "range, 1 Jan 2024 – 15 Mar 2024"),  # not whole months
    ("2023-03/2024", "range, 1 Mar 2023 – 31 Dec 2024"),  # not whole years
    ("before 2020", "open start, … – 31 Dec 2019"),
    ("after c. 2019", "open end, approximate, 1 Jan 2020 – …"),
])
def test_describe_says_precision_qualifiers_and_the_days_covered(text, description):
    """The detail pane's line under the date and the list's tooltip."""
    assert parse_date(text).describe() == description


def test_late_2024_is_not_first_of_january():
    """dateutil's fuzzy mode reads 'late 2024' as 1 January; the grammar must not."""
    assert parse_date("late 2024").start == D(2024, 9, 1)


def test_ordering_uses_the_interval_not_the_text():
    texts = ["2024-11-14", "late 2024", "2024", "before 2020", "Q4 2024", "2019-01-23"]
    ordered = sorted((parse_date(t) for t in texts), key=FuzzyDate.sort_key)
    assert [d.text for d in ordered] == [
        "2019-01-23", "before 2020", "2024", "late 2024", "Q4 2024", "2024-11-14"]


# --- properties ------------------------------------------------------------------------

years = st.integers(min_value=2, max_value=9998)  # open sides need room


@st.composite
def parts(draw):
    y = draw(years)
    form = draw(st.sampled_from(["year", "month", "day", "quarter", "part"]))
    if form == "year":
        text = f"{y:04d}"
    elif form == "month":
        text = f"{y:04d}-{draw(st.integers(1, 12)):02d}"
    elif form == "day":
        text = draw(st.dates(min_value=D(max(y, 1), 1, 1), max_value=D(y, 12, 31))).isoformat()
    elif form == "quarter":
        text = f"Q{draw(st.integers(1, 4))} {y:04d}"
    else:
        text = f"{draw(st.sampled_from(['early', 'mid', 'late']))} {y:04d}"
    prefix = draw(st.sampled_from(["", "c. "]))
    return prefix + text


@st.composite
def fuzzy_dates(draw):
    kind = draw(st.sampled_from(["point", "range", "before", "after"]))
    a = parse_date(draw(parts()))
    if kind == "point":
        return a
    if kind == "before":
        return parse_date("before " + a.text)
    if kind == "after":
        return parse_date("after " + a.text)
    b = parse_date(draw(parts()))
    lo, hi = sorted([a, b], key=FuzzyDate.sort_key)
    if hi.end < lo.start:
        return parse_date(f"{lo.text}/{hi.text}")
    return lo


@given(fuzzy_dates())
def test_label_parses_back_to_the_same_interval_and_precision(d):
    back = parse_date(d.label())
    assert (back.start, back.end, back.precision, back.approximate) == (
        d.start, d.end, d.precision, d.approximate)


@given(fuzzy_dates())
def test_edtf_parses_back_to_the_same_interval(d):
    back = parse_date(d.edtf())
    assert (back.start, back.end, back.approximate) == (d.start, d.end, d.approximate)
    if all(p.precision in (DAY, MONTH, YEAR) for p in d.parts):
        assert back.precision == d.precision


@given(st.lists(fuzzy_dates(), min_size=2, max_size=8))
def test_ordering_agrees_with_intervals(dates):
    ordered = sorted(dates, key=FuzzyDate.sort_key)
    for a, b in zip(ordered, ordered[1:], strict=False):
        a_lo = a.start or a.end
        b_lo = b.start or b.end
        assert a_lo <= b_lo
        if a_lo == b_lo:
            assert (a.end or a.start) <= (b.end or b.start)


@given(st.text(max_size=30))
def test_any_text_parses_or_raises_date_error(text):
    try:
        parse_date(text)
    except DateError:
        pass


# QApplication sets the C library's locale from the desktop before the model is imported.
LOCALE_SCRIPT = """
import locale, sys
for name in ("de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "es_ES.UTF-8"):
    try:
        locale.setlocale(locale.LC_ALL, name)
        break
    except locale.Error:
        pass
else:
    print("none")
    sys.exit()
from briefing_app.model.dates import parse_date
print(parse_date("March 2024").label(), "|", parse_date("2019-03-05").label())
"""


def test_month_names_stay_english_under_another_locale(tmp_path):
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=str(root))

    def run() -> str:
        return subprocess.run([sys.executable, "-c", LOCALE_SCRIPT], env=env,
                              capture_output=True, text=True, timeout=60).stdout.strip()

    out = run()
    if out == "none" and shutil.which("localedef"):
        # No such locale installed (a minimal machine): compile German into a private folder
        # from Debian's locale sources (package "locales"), no root needed.
        made = subprocess.run(["localedef", "-i", "de_DE", "-f", "UTF-8",
                               str(tmp_path / "de_DE.UTF-8")], capture_output=True, timeout=120)
        if made.returncode in (0, 1):  # 1: warnings only, the locale was written
            env["LOCPATH"] = str(tmp_path)
            out = run()
    if out == "none":
        pytest.skip("no German, French or Spanish locale, and none could be made with "
                    "localedef (apt-get install locales)")
    assert out == "March 2024 | 5 Mar 2019"


def test_days_in_month_knows_leap_years():
    from briefing_app.model.dates import days_in_month

    assert [days_in_month(y, 2) for y in (1900, 2000, 2023, 2024)] == [28, 29, 28, 29]
    assert [days_in_month(2023, m) for m in range(1, 13)] == [31, 28, 31, 30, 31, 30, 31, 31,
                                                              30, 31, 30, 31]


@pytest.mark.parametrize("text,start,end", [
    ("15–16 Jan 2026", date(2026, 1, 15), date(2026, 1, 16)),
    ("15-16 Jan 2026", date(2026, 1, 15), date(2026, 1, 16)),
    ("Sep–Dec 2024", date(2024, 9, 1), date(2024, 12, 31)),
    ("Jan - Mar 2024", date(2024, 1, 1), date(2024, 3, 31)),
    ("15 Jan – 3 Feb 2026", date(2026, 1, 15), date(2026, 2, 3)),
    ("early – late 2024", date(2024, 1, 1), date(2024, 12, 31)),
])
def test_a_range_written_short_shares_the_second_end_s_month_and_year(text, start, end):
    """Spans as the app itself labels them ("Sep–Dec 2024") are read back, kept as written."""
    d = parse_date(text)
    assert (d.text, d.start, d.end) == (text, start, end)


@pytest.mark.parametrize("text,why", [
    ("Dec–Jan 2024", "ends before it starts"),
    ("16–15 Jan 2026", "ends before it starts"),
    ("32–33 Jan 2026", "out of range"),
    ("15 – Jan 2026", "four-digit year"),
])
def test_a_short_range_that_makes_no_sense_is_refused(text, why):
    with pytest.raises(DateError, match=why):
        parse_date(text)


@pytest.mark.parametrize("year", [2024, 999, 1])
@pytest.mark.parametrize("first,last", [(1, 12), (9, 12), (3, 3), (2, 7)])
def test_the_months_an_interval_label_names_are_read_back(first, last, year):
    label = interval_label(date(year, first, 1), month_part(year, last).end)
    d = parse_date(label)
    assert (d.start, d.end) == (date(year, first, 1), month_part(year, last).end), label


@pytest.mark.parametrize("start,end", [(date(1, 1, 1), date(1, 1, 1)),
                                       (date(999, 3, 4), date(1002, 5, 6)),
                                       (date(5, 1, 1), date(7, 12, 31))])
def test_an_interval_label_of_an_early_year_is_read_back(start, end):
    """'1 Jan 1' and '999' are not dates: the year is written with four digits."""
    d = parse_date(interval_label(start, end))
    assert (d.start, d.end) == (start, end)


@pytest.mark.parametrize("text,label", [
    ("2026-01-15/2026-01-16", "15–16 Jan 2026"),
    ("2026-01-15/2026-02-03", "15 Jan – 3 Feb 2026"),
    ("2024-09/2024-12", "Sep–Dec 2024"),
    ("2025-12-30/2026-01-02", "30 Dec 2025 – 2 Jan 2026"),  # two years: each has its own
    ("c. 2026-01-15/2026-01-16", "c. 15 Jan 2026 – 16 Jan 2026"),  # a mark: written out
    ("2023/2024", "2023–2024"),
    ("2023/2024-06", "2023 – June 2024"),  # an end of several words: a spaced dash
    ("2026-01-15/c. 2026-01-16", "15 Jan 2026 – c. 16 Jan 2026"),  # a mark on either end
])
def test_a_range_within_one_year_is_labelled_short_and_reads_back(text, label):
    """A list column or a source's date fits "15–16 Jan 2026", not "15 Jan 2026 – 16 Ja…"."""
    d = parse_date(text)
    assert d.label() == label
    back = parse_date(label)
    assert (back.start, back.end, back.approximate) == (d.start, d.end, d.approximate)


@pytest.mark.parametrize("text,start,end,label", [
    ("2019-2020", date(2019, 1, 1), date(2020, 12, 31), "2019–2020"),
    ("Sep-Dec 2024", date(2024, 9, 1), date(2024, 12, 31), "Sep–Dec 2024"),
    ("Sept-Dec. 2024", date(2024, 9, 1), date(2024, 12, 31), "Sep–Dec 2024"),
    ("Jan 15-16, 2026", date(2026, 1, 15), date(2026, 1, 16), "15–16 Jan 2026"),
    ("Jan. 15-16, 2026", date(2026, 1, 15), date(2026, 1, 16), "15–16 Jan 2026"),
])
def test_a_range_typed_with_a_keyboard_hyphen_is_read(text, start, end, label):
    """A journalist's spreadsheet says "2019-2020" and "Sep-Dec 2024", not en dashes; the
    app took "15-16 Jan 2026" but refused these ("Jan 15-16, 2026" as a time of day)."""
    d = parse_date(text)
    assert (d.text, d.start, d.end, d.label()) == (text, start, end, label)
    assert d.edtf() == parse_date(label).edtf()


@pytest.mark.parametrize("text,expected", [
    ("mid-2024", (date(2024, 5, 1), date(2024, 8, 31))),  # a part of a year, not a range
    ("2019-01", (date(2019, 1, 1), date(2019, 1, 31))),  # ISO, not a range
    ("Q3-2024", (date(2024, 7, 1), date(2024, 9, 30))),
])
def test_a_hyphen_that_is_not_a_range_keeps_its_meaning(text, expected):
    d = parse_date(text)
    assert (d.start, d.end) == expected


@pytest.mark.parametrize("text,why", [
    ("2020-2019", "ends before it starts"),
    ("Dec-Jan 2024", "ends before it starts"),
    ("Jan 15-40, 2026", "out of range"),
    ("Mid-August 2024", "not a recognised form"),  # no guess at "mid-August"
])
def test_a_hyphenated_range_that_makes_no_sense_is_refused(text, why):
    with pytest.raises(DateError, match=why):
        parse_date(text)


@pytest.mark.parametrize("text,day", [
    ("14/11/2024", date(2024, 11, 14)),  # day first: 14 is no month
    ("11/14/2024", date(2024, 11, 14)),  # month first: the same
    ("14.11.2024", date(2024, 11, 14)),
    ("05/05/2024", date(2024, 5, 5)),  # either order gives this day
])
def test_a_numeric_date_whose_order_cannot_matter_is_read(text, day):
    """"14/11/2024" was refused as ambiguous though 14 cannot be a month."""
    d = parse_date(text)
    assert (d.text, d.start, d.end, d.precision) == (text, day, day, Precision.DAY)


@pytest.mark.parametrize("text,start,end", [
    ("mid-2024 – 2025", date(2024, 5, 1), date(2025, 12, 31)),
    ("mid-2024/2025", date(2024, 5, 1), date(2025, 12, 31)),
    ("Q4-2024 / Jan 2025", date(2024, 10, 1), date(2025, 1, 31)),
    ("late-2019 to 2020", date(2019, 9, 1), date(2020, 12, 31)),
])
def test_a_range_whose_first_end_has_a_hyphenated_year_is_still_read(text, start, end):
    """"mid-2024/2025" was read before short ranges: its first end was then taken for one
    without a year ("mid-2024 2025") and refused, so saved files with it no longer opened."""
    d = parse_date(text)
    assert (d.kind, d.start, d.end) == (RANGE, start, end)
