"""Fuzzy dates: the text as written, its precision, and the interval of days it covers.

A briefing's dates are often imprecise ("2019", "late 2024", "c. 2019", "before 2020").
`parse_date` turns such text into a `FuzzyDate` by a strict grammar: canonical forms take a
fast path of regular expressions, other written-out calendar dates go through
python-dateutil *without* fuzzy mode and are accepted only when every part is explicit and
unambiguous. Nothing is guessed: `01/02/2019`, `2019-02-30` or `sometime` raise `DateError`.

Precision and approximation are separate: "late 2024" is part-of-year precision and exact;
"c. 2019" is year precision and approximate. Parts of a year are thirds: early = Jan-Apr,
mid = May-Aug, late = Sep-Dec.

EDTF (Library of Congress Extended Date/Time Format, level 1) export: day, month and year
precision map directly (with `~`, `?`, `%`); quarters and early/mid/late have no level-1 form
and are exported as the interval of days they cover (`2024-09-01/2024-12-31`), which keeps the
interval but not the precision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import IntEnum

ACCEPTED_FORMS = (
    "2019, 2019-01, 2019-01-23, Jan 2019, 23 January 2019, January 23, 2019, "
    "early/mid/late 2024, Q4 2024, c. 2019, 2019~, 2019?, 2023/2024, "
    "2019-01-23/2019-05-13, 15–16 Jan 2026, Sep–Dec 2024, before 2020, after 2019, "
    "../2019-12-31"
)


class DateError(ValueError):
    """Text that is not a date of the accepted grammar; the message says why."""

    def __init__(self, text: str, reason: str = "") -> None:
        shown = text if len(text) <= 60 else text[:57] + "..."
        why = f": {reason}" if reason else ""
        super().__init__(f"{shown!r} is not a date{why} (accepted forms: {ACCEPTED_FORMS})")
        self.text = text
        self.reason = reason


class Precision(IntEnum):
    """How much of a calendar date is known; larger is coarser."""

    DAY = 1
    MONTH = 2
    QUARTER = 3
    PART_OF_YEAR = 4
    YEAR = 5

    @property
    def label(self) -> str:
        return _PRECISION_LABELS[self]


_PRECISION_LABELS = {
    Precision.DAY: "day",
    Precision.MONTH: "month",
    Precision.QUARTER: "quarter",
    Precision.PART_OF_YEAR: "part of year",
    Precision.YEAR: "year",
}

# English, as briefings are written, and not the calendar module's names: those follow the
# C library's locale, which QApplication sets from the desktop, so on a German desktop they
# read "März" and "March 2024" would no longer parse.
_MONTH_NAME = ["", "January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]
_MONTH_ABBR = ["", *(name[:3] for name in _MONTH_NAME[1:])]
MONTHS = {name.lower(): i for names in (_MONTH_NAME, _MONTH_ABBR)
          for i, name in enumerate(names) if name}
MONTHS["sept"] = 9
PARTS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_PART_OF_MONTH = {m: part for part, (a, b) in PARTS.items() for m in range(a, b + 1)}


@dataclass(frozen=True, slots=True)
class DatePart:
    """One calendar expression ("late 2024", "23 Jan 2019") and the days it covers."""

    start: date
    end: date
    precision: Precision
    approximate: bool = False
    uncertain: bool = False

    def label(self) -> str:
        p, s = self.precision, self.start
        if p is Precision.DAY:
            core = f"{s.day} {_MONTH_ABBR[s.month]} {s.year:04d}"
        elif p is Precision.MONTH:
            core = f"{_MONTH_NAME[s.month]} {s.year:04d}"
        elif p is Precision.QUARTER:
            core = f"Q{(s.month - 1) // 3 + 1} {s.year:04d}"
        elif p is Precision.PART_OF_YEAR:
            core = f"{_PART_OF_MONTH[s.month]} {s.year:04d}"
        else:
            core = f"{s.year:04d}"
        if self.approximate:
            core = "c. " + core
        return core + ("?" if self.uncertain else "")

    def edtf(self) -> str:
        """EDTF level 1; quarters and parts of a year become their interval of days."""
        p, s = self.precision, self.start
        mark = {(True, True): "%", (True, False): "~", (False, True): "?"}.get(
            (self.approximate, self.uncertain), ""
        )
        if p is Precision.DAY:
            return f"{s.isoformat()}{mark}"
        if p is Precision.MONTH:
            return f"{s.year:04d}-{s.month:02d}{mark}"
        if p is Precision.YEAR:
            return f"{s.year:04d}{mark}"
        return f"{s.isoformat()}{mark}/{self.end.isoformat()}{mark}"

    def next_unit(self) -> DatePart:
        """The same kind of period right after this one (2019 -> 2020), same qualifiers."""
        return self._like(_part_at(self.end + timedelta(days=1), self.precision))

    def previous_unit(self) -> DatePart:
        return self._like(_part_at(self.start - timedelta(days=1), self.precision))

    def _like(self, other: DatePart) -> DatePart:
        return DatePart(other.start, other.end, other.precision, self.approximate, self.uncertain)


def days_in_month(y: int, m: int) -> int:
    if m == 2:
        return 29 if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def year_part(y: int) -> DatePart:
    return DatePart(date(y, 1, 1), date(y, 12, 31), Precision.YEAR)


def month_part(y: int, m: int) -> DatePart:
    return DatePart(date(y, m, 1), date(y, m, days_in_month(y, m)), Precision.MONTH)


def day_part(d: date) -> DatePart:
    return DatePart(d, d, Precision.DAY)


def quarter_part(y: int, q: int) -> DatePart:
    first = 3 * (q - 1) + 1
    last = first + 2
    return DatePart(
        date(y, first, 1), date(y, last, days_in_month(y, last)), Precision.QUARTER
    )


def part_of_year(y: int, part: str) -> DatePart:
    first, last = PARTS[part]
    return DatePart(
        date(y, first, 1), date(y, last, days_in_month(y, last)), Precision.PART_OF_YEAR
    )


def _part_at(d: date, precision: Precision) -> DatePart:
    if precision is Precision.DAY:
        return day_part(d)
    if precision is Precision.MONTH:
        return month_part(d.year, d.month)
    if precision is Precision.QUARTER:
        return quarter_part(d.year, (d.month - 1) // 3 + 1)
    if precision is Precision.PART_OF_YEAR:
        return part_of_year(d.year, _PART_OF_MONTH[d.month])
    return year_part(d.year)


POINT, RANGE, BEFORE, AFTER = "point", "range", "before", "after"


@dataclass(frozen=True, slots=True)
class FuzzyDate:
    """A date as written, with the interval it covers.

    kind is POINT (one part), RANGE (lower..upper), BEFORE (open start, ends the day before
    `upper` begins) or AFTER (open end, starts the day after `lower` ends). `start`/`end`
    are inclusive; None marks an open side.
    """

    text: str
    kind: str
    lower: DatePart | None
    upper: DatePart | None
    # Derived once when built: sorting and laying out 100k events asks for them millions of
    # times. `_key` stays None for an unfinished date (the event form's blank one), whose
    # properties then compute, and fail, as they always did.
    _start: date | None = field(default=None, init=False, repr=False, compare=False)
    _end: date | None = field(default=None, init=False, repr=False, compare=False)
    _key: tuple[int, int] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            start, end = self._compute_start(), self._compute_end()
        except (AssertionError, AttributeError):
            return
        known = start or end
        if known is None:
            return
        object.__setattr__(self, "_start", start)
        object.__setattr__(self, "_end", end)
        object.__setattr__(self, "_key", (known.toordinal(), (end or start).toordinal()))

    @property
    def start(self) -> date | None:
        return self._start if self._key is not None else self._compute_start()

    @property
    def end(self) -> date | None:
        return self._end if self._key is not None else self._compute_end()

    def _compute_start(self) -> date | None:
        if self.kind == BEFORE:
            return None
        assert self.lower is not None
        return self.lower.start if self.kind != AFTER else self.lower.end + timedelta(days=1)

    def _compute_end(self) -> date | None:
        if self.kind == AFTER:
            return None
        if self.kind == BEFORE:
            assert self.upper is not None
            return self.upper.start - timedelta(days=1)
        part = self.upper if self.kind == RANGE else self.lower
        assert part is not None
        return part.end

    @property
    def parts(self) -> tuple[DatePart, ...]:
        return tuple(p for p in (self.lower, self.upper) if p is not None)

    @property
    def precision(self) -> Precision:
        """The coarsest precision of the parts."""
        return max(p.precision for p in self.parts)

    @property
    def approximate(self) -> bool:
        return any(p.approximate for p in self.parts)

    @property
    def uncertain(self) -> bool:
        return any(p.uncertain for p in self.parts)

    @property
    def open_start(self) -> bool:
        return self.kind == BEFORE

    @property
    def open_end(self) -> bool:
        return self.kind == AFTER

    def sort_key(self) -> tuple[int, int]:
        """Order by interval: start, then end; an open side sorts by the known bound."""
        if self._key is not None:
            return self._key
        start, end = self.start, self.end
        lo = (start or end).toordinal()  # type: ignore[union-attr]
        hi = (end or start).toordinal()  # type: ignore[union-attr]
        return lo, hi

    def label(self) -> str:
        """The human form, e.g. "late 2024", "23 Jan 2019", "c. 2019", "2023–2024"."""
        if self.kind == POINT:
            return self.lower.label()  # type: ignore[union-attr]
        if self.kind == BEFORE:
            return "before " + self.upper.label()  # type: ignore[union-attr]
        if self.kind == AFTER:
            return "after " + self.lower.label()  # type: ignore[union-attr]
        short = _short_range(self.lower, self.upper)  # type: ignore[arg-type]
        if short is not None:
            return short
        a, b = self.lower.label(), self.upper.label()  # type: ignore[union-attr]
        if self.lower.precision is Precision.YEAR and self.upper.precision is Precision.YEAR:  # type: ignore[union-attr]
            return f"{a}–{b}"
        return f"{a} – {b}"

    def edtf(self) -> str:
        """EDTF level 1 where it can say it; see the module docstring for the rest."""
        if self.kind == POINT:
            return self.lower.edtf()  # type: ignore[union-attr]
        if self.kind == BEFORE:
            return "../" + _edtf_bound(self.upper.previous_unit(), last=True)  # type: ignore[union-attr]
        if self.kind == AFTER:
            return _edtf_bound(self.lower.next_unit(), last=False) + "/.."  # type: ignore[union-attr]
        return (
            _edtf_bound(self.lower, last=False)  # type: ignore[arg-type]
            + "/"
            + _edtf_bound(self.upper, last=True)  # type: ignore[arg-type]
        )

    def describe(self) -> str:
        """Precision in words and the interval, e.g. "part of year, Sep–Dec 2024"."""
        words = [self.precision.label]
        if self.kind == RANGE:
            words = ["range"]
        elif self.kind == BEFORE:
            words = ["open start"]
        elif self.kind == AFTER:
            words = ["open end"]
        if self.approximate:
            words.append("approximate")
        if self.uncertain:
            words.append("uncertain")
        return ", ".join(words) + ", " + interval_label(self.start, self.end)

    def __str__(self) -> str:
        return self.text


def _short_range(lower: DatePart, upper: DatePart) -> str | None:
    """"15–16 Jan 2026", "15 Jan – 3 Feb 2026", "Sep–Dec 2024": a range of plain days or
    months within one year, as it is read back (the first end shares the second's year)."""
    if (lower.approximate or lower.uncertain or upper.approximate or upper.uncertain
            or lower.precision is not upper.precision or lower.start.year != upper.start.year):
        return None
    a, b, year = lower.start, upper.start, f"{upper.start.year:04d}"
    if lower.precision is Precision.DAY:
        if a.month == b.month:
            return f"{a.day}–{b.day} {_MONTH_ABBR[b.month]} {year}"
        return f"{a.day} {_MONTH_ABBR[a.month]} – {b.day} {_MONTH_ABBR[b.month]} {year}"
    if lower.precision is Precision.MONTH:
        return f"{_MONTH_ABBR[a.month]}–{_MONTH_ABBR[b.month]} {year}"
    return None


def interval_label(start: date | None, end: date | None) -> str:
    """A compact interval: "Sep–Dec 2024", "23 Jan 2019", "2019", "… – 31 Dec 2019"."""
    if start is None:
        return "… – " + _day(end)  # type: ignore[arg-type]
    if end is None:
        return _day(start) + " – …"
    if start == end:
        return _day(start)
    whole_months = start.day == 1 and end.day == days_in_month(end.year, end.month)
    if whole_months and start.year == end.year:
        if start.month == 1 and end.month == 12:
            return f"{start.year:04d}"
        if start.month == end.month:
            return f"{_MONTH_ABBR[start.month]} {start.year:04d}"
        return f"{_MONTH_ABBR[start.month]}–{_MONTH_ABBR[end.month]} {start.year:04d}"
    if whole_months and start.month == 1 and end.month == 12:
        return f"{start.year:04d}–{end.year:04d}"
    return f"{_day(start)} – {_day(end)}"


def _day(d: date) -> str:
    # Four digits, as DatePart.label writes them: "999" alone is not read as a year.
    return f"{d.day} {_MONTH_ABBR[d.month]} {d.year:04d}"


def _edtf_bound(part: DatePart, last: bool) -> str:
    if part.precision in (Precision.QUARTER, Precision.PART_OF_YEAR):
        d = part.end if last else part.start
        return part._like(day_part(d)).edtf()  # "c. late 2024/2025": the day keeps the "c."
    return part.edtf()


# --- parsing ---------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)  # only 0-9 are digits
_PART = re.compile(r"(early|mid|late)[ -]+(\d{4})", re.I)
_QUARTER = re.compile(r"q([1-4])[ -]+(\d{4})|(\d{4})[ -]+q([1-4])", re.I)
_APPROX = re.compile(r"(?:c\.|ca\.|circa|approx\.|about|around|~)\s*", re.I)
_SLASHED_NUMBERS = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})")
_DECADE = re.compile(r"(?:the\s+)?(\d{3}0)s", re.I)  # "1990s", "the 1990s"
_SEASON = re.compile(r"(?:early\s+|late\s+|mid[- ]?)?(spring|summer|autumn|fall|winter)\b",
                     re.I)
_OPEN = re.compile(r"(before|after)\s+(.+)", re.I)
# Other words for an open date, which the grammar does not read (what "until 2020" leaves
# in or out is a guess): refused with the form that says it.
_OPEN_WORDS = re.compile(r"(pre|prior\s+to|post|since|from|by|until|till|up\s+to|through)"
                         r"(?:-|\s+)(.+)", re.I)
_RANGE_SEP = re.compile(r"\s*/\s*|\s+[–—-]\s+|\s*[–—]\s*|\s+to\s+", re.I)
_YEAR_TOKEN = re.compile(r"(?<![\d-])\d{4}(?!\d)")
# Any four-digit year, one after a hyphen too ("mid-2024", "Q3-2024"): an end that has one
# is complete as written.
_ANY_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_DAY_DASH_DAY = re.compile(r"(\d{1,2})-(\d{1,2})\s+([^\d\s].*)")  # "15-16 Jan 2026"
# A keyboard's hyphen, unspaced, between the ends of a range that cannot be ISO (whose
# month is two digits): "2019-2020", "Sep-Dec 2024", "Jan 15-16, 2026" (AP style).
_YEAR_DASH_YEAR = re.compile(r"(\d{4})-(\d{4})")
_MONTH_DASH_MONTH = re.compile(r"([A-Za-z]+)\.?-(([A-Za-z]+)\.?,?\s+\d{4})")
_MONTH_DAY_DASH_DAY = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2})-(\d{1,2}),?\s+(\d{4})")
_DAY = re.compile(r"\d{1,2}")
_MONTH_AND_YEAR_TAIL = re.compile(r"\d{1,2}\s+(\S+\s+\d{4})\S*")  # "16 [Jan 2026]?"
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_MAX_LEN = 80


def parse_date(text: str) -> FuzzyDate:
    """Parse `text` by the strict grammar; raise DateError saying what is wrong."""
    fast = _parse_canonical(text)
    if fast is not None:
        return fast
    if not isinstance(text, str):
        raise DateError(str(text), "expected text")
    s = " ".join(text.split())
    if not s:
        raise DateError(text, "it is empty")
    if len(s) > _MAX_LEN:
        raise DateError(text, f"longer than {_MAX_LEN} characters")
    if _BAD_CHARS.search(s):
        raise DateError(text, "it contains control or invisible characters")
    if not s.isascii() and any(c.isdigit() and not c.isascii() for c in s):
        # Python's \d and int() read "２０２４" and "٢٠٢٤" as 2024: the file would then say
        # something other than what the app shows.
        raise DateError(text, "write digits as 0-9")
    m = _SLASHED_NUMBERS.fullmatch(s)
    if m:
        return FuzzyDate(text, POINT, _slashed_day(text, m), None)
    m = _DECADE.fullmatch(s)
    if m:
        first = int(m.group(1))
        raise DateError(text, f"write a decade as the range {first:04d}/{first + 9:04d}")
    if _SEASON.match(s):
        raise DateError(text, "a season is a different part of the year in each hemisphere; "
                        "write early/mid/late 2024 or the months (Jun–Aug 2024)")
    m = _OPEN_WORDS.fullmatch(s)
    if m and _is_part(text, m.group(2)):
        raise DateError(text, _open_advice(m.group(1), m.group(2)))

    try:
        if s.startswith("../"):
            bound = _parse_part(text, s[3:])
            return FuzzyDate(text, BEFORE, None, _bounded(bound.next_unit()))
        if s.endswith("/.."):
            bound = _parse_part(text, s[:-3])
            return FuzzyDate(text, AFTER, _bounded(bound.previous_unit()), None)
        m = _OPEN.fullmatch(s)
        if m:
            bound = _bounded(_parse_part(text, m.group(2)))
            if m.group(1).lower() == "before":
                return FuzzyDate(text, BEFORE, None, bound)
            return FuzzyDate(text, AFTER, bound, None)
    except OverflowError:
        raise DateError(text, "an open date needs a bound between 0001 and 9999") from None

    pieces = _hyphenated_range(s) or _RANGE_SEP.split(s)
    if len(pieces) == 1:
        return FuzzyDate(text, POINT, _parse_part(text, s), None)
    if len(pieces) != 2:
        raise DateError(text, "a range has exactly two ends")
    lower = _parse_part(text, _completed(pieces[0], pieces[1]))
    upper = _parse_part(text, pieces[1])
    if upper.end < lower.start:
        raise DateError(text, "the range ends before it starts")
    return FuzzyDate(text, RANGE, lower, upper)


def _is_part(text: str, s: str) -> bool:
    try:
        _parse_part(text, s)
    except (DateError, OverflowError):
        return False
    return True


def _open_advice(word: str, bound: str) -> str:
    word = " ".join(word.lower().split())
    if word in ("pre", "prior to"):
        return f"write “before {bound}”"
    if word == "post":
        return f"write “after {bound}”"
    if word in ("since", "from"):
        return f"write “{bound}/..” (from the start of {bound} on) or “after …”"
    return f"write “../{bound}” (up to the end of {bound}) or “before …”"


def _hyphenated_range(s: str) -> list[str] | None:
    """The two ends of a range joined by an unspaced hyphen, or None. Only month names
    count as words: "mid-2024" is a part of a year and "Mid-August 2024" no range."""
    m = _DAY_DASH_DAY.fullmatch(s)
    if m:
        return [m.group(1), f"{m.group(2)} {m.group(3)}"]
    m = _YEAR_DASH_YEAR.fullmatch(s)
    if m:
        return [m.group(1), m.group(2)]
    m = _MONTH_DASH_MONTH.fullmatch(s)
    if m and m.group(1).lower() in MONTHS and m.group(3).lower() in MONTHS:
        return [m.group(1), m.group(2)]
    m = _MONTH_DAY_DASH_DAY.fullmatch(s)
    if m and m.group(1).lower() in MONTHS:
        month, first, last, year = m.groups()
        return [f"{first} {month} {year}", f"{last} {month} {year}"]
    return None


def _completed(first: str, second: str) -> str:
    """The first end of a range as written short, "15–16 Jan 2026" or "Sep–Dec 2024" (as
    the app labels such spans), with the month and year or the year it shares with the
    second end. Anything else as it is, for the grammar to judge."""
    year = _YEAR_TOKEN.search(second)
    if year is None or _ANY_YEAR.search(first):
        return first
    if _DAY.fullmatch(first):
        m = _MONTH_AND_YEAR_TAIL.fullmatch(second)
        return f"{first} {m.group(1)}" if m else first
    return f"{first} {year.group()}"


def _slashed_day(text: str, m: re.Match[str]) -> DatePart:
    """"14/11/2024" or "11/14/2024": read when the order of day and month cannot matter
    (one number over 12, or both the same); "01/02/2019" is refused, never guessed."""
    a, b, year = int(m.group(1)), int(m.group(2)), m.group(3)
    if len(year) != 4:
        raise DateError(text, "a date needs one four-digit year")
    if a > 12 >= b:
        day, month = a, b
    elif b > 12 >= a:
        day, month = b, a
    elif a == b:
        day = month = a
    else:
        raise DateError(text, "day and month order is ambiguous; write 2019-02-01 or 1 Feb 2019")
    try:
        return day_part(date(_check_year(text, int(year)), month, day))
    except ValueError as exc:
        if isinstance(exc, DateError):
            raise
        raise DateError(text, str(exc)) from None


def _parse_canonical(text: str) -> FuzzyDate | None:
    """"2019", "2019-01" or "2019-01-23" exactly as written: most dates in most files.

    None for anything else, and for text that looks canonical but is not a valid date, so
    that the full parser says what is wrong with it.
    """
    if type(text) is not str or not 4 <= len(text) <= 10:
        return None
    m = _ISO.fullmatch(text)
    if m is None:
        return None
    y, mo, d = m.groups()
    year = int(y)
    if year < 1:
        return None
    try:
        if d:
            part = day_part(date(year, int(mo), int(d)))
        elif mo:
            part = month_part(year, int(mo))
        else:
            part = year_part(year)
    except ValueError:
        return None
    return FuzzyDate(text, POINT, part, None)


def _bounded(part: DatePart) -> DatePart:
    """An open side must stay inside the calendar: nothing before 0001 or after 9999."""
    if part.start == date.min or part.end == date.max:
        raise OverflowError
    return part


def _parse_part(text: str, s: str) -> DatePart:
    s = s.strip()
    approximate = uncertain = False
    m = _APPROX.match(s)
    if m:
        approximate, s = True, s[m.end() :]
    if s.endswith("%"):
        approximate, uncertain, s = True, True, s[:-1]
    elif s.endswith("~"):
        approximate, s = True, s[:-1]
    elif s.endswith("?"):
        uncertain, s = True, s[:-1]
    s = s.strip()
    if not s:
        raise DateError(text, "no date after the qualifier")
    part = _parse_core(text, s)
    if approximate or uncertain:
        part = DatePart(part.start, part.end, part.precision, approximate, uncertain)
    return part


def _parse_core(text: str, s: str) -> DatePart:
    try:
        m = _ISO.fullmatch(s)
        if m:
            y, mo, d = m.groups()
            _check_year(text, int(y))
            if d:
                return day_part(date(int(y), int(mo), int(d)))
            if mo:
                return month_part(int(y), int(mo))
            return year_part(int(y))
        m = _PART.fullmatch(s)
        if m:
            return part_of_year(_check_year(text, int(m.group(2))), m.group(1).lower())
        m = _QUARTER.fullmatch(s)
        if m:
            q, y = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            return quarter_part(_check_year(text, int(y)), int(q))
        return _parse_written(text, s)
    except ValueError as exc:  # date() on 2019-02-30, month 13, ...
        if isinstance(exc, DateError):
            raise
        raise DateError(text, str(exc)) from None


def _check_year(text: str, y: int) -> int:
    if not 1 <= y <= 9999:
        raise DateError(text, "years must be between 0001 and 9999")
    return y


_WRITTEN = re.compile(r"[A-Za-z]+\.?|\d+(?:st|nd|rd|th)?|,")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Za-z]+)\.?,?\s+(\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_MONTH_YEAR = re.compile(r"([A-Za-z]+)\.?,?\s+(\d{4})")


def _month_name_fast(text: str, s: str) -> DatePart | None:
    """The common written forms, without dateutil (fast, and exact for any year)."""
    m = _DAY_MONTH_YEAR.fullmatch(s)
    if m and m.group(2).lower() in MONTHS:
        day, month, year = m.group(1), m.group(2), m.group(3)
    else:
        m = _MONTH_DAY_YEAR.fullmatch(s)
        if m and m.group(1).lower() in MONTHS:
            month, day, year = m.group(1), m.group(2), m.group(3)
        else:
            m = _MONTH_YEAR.fullmatch(s)
            if not (m and m.group(1).lower() in MONTHS):
                return None
            return month_part(_check_year(text, int(m.group(2))), MONTHS[m.group(1).lower()])
    return day_part(date(_check_year(text, int(year)), MONTHS[month.lower()], int(day)))


def _parse_written(text: str, s: str) -> DatePart:
    """Dates written with month names ("23 January 2019", "January 23, 2019", "Jan 2019").

    python-dateutil reads the free-form text, strictly: no fuzzy mode, two different
    defaults to find which fields were actually written, both day-first readings compared
    so that an ambiguous order is rejected, and a four-digit year required.
    """
    if s.startswith("-"):
        raise DateError(text, "years before 1 AD are not supported")
    fast = _month_name_fast(text, s)
    if fast is not None:
        return fast
    if not any(ch.isdigit() for ch in s):
        raise DateError(text, "not a recognised form")
    years = _YEAR_TOKEN.findall(s)
    if len(years) != 1:
        raise DateError(text, "a date needs one four-digit year")
    if not any(t.rstrip(".").lower() in MONTHS for t in _WRITTEN.findall(s)):
        raise DateError(text, "not a recognised form")
    from datetime import datetime

    from dateutil import parser as du

    try:
        a = du.parse(s, default=datetime(2001, 1, 1), fuzzy=False, dayfirst=True)
        b = du.parse(s, default=datetime(2002, 2, 2), fuzzy=False, dayfirst=True)
        c = du.parse(s, default=datetime(2001, 1, 1), fuzzy=False, dayfirst=False)
    except (ValueError, OverflowError, TypeError) as exc:
        raise DateError(text, "not a recognised form") from exc
    if a.year != b.year:
        raise DateError(text, "a date needs a year")
    if a != c:
        raise DateError(text, "day and month order is ambiguous")
    if (a.hour, a.minute, a.second, a.microsecond) != (0, 0, 0, 0) or a.tzinfo:
        raise DateError(text, "times of day are not part of a date")
    if str(a.year) != years[0].lstrip("0") and f"{a.year:04d}" != years[0]:
        raise DateError(text, "the year is not clear")
    if a.month != b.month:
        return year_part(a.year)
    if a.day != b.day:
        return month_part(a.year, a.month)
    # A weekday without a day of the month moves dateutil to the next such weekday after
    # the default day ("Monday January 2019" read as 7 Jan): from another default, another.
    if du.parse(s, default=datetime(2001, 1, 15), fuzzy=False, dayfirst=True).day != a.day:
        raise DateError(text, "a weekday does not say which day of the month; write it "
                        "(7 January 2019)")
    return day_part(a.date())
