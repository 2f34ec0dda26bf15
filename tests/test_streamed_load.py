"""Loading event by event (storage._streamed) builds exactly what the checked path builds
(parse_json, then parse_briefing), or reports exactly its problems: a property test over
briefing-like JSON, valid and not, in varied layouts, key orders and escapes."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing_app.model import storage
from briefing_app.model.errors import LoadError


def outcome(load, text):
    try:
        return "ok", load(text)
    except LoadError as exc:
        return "refused", exc.problems


def checked(text):
    return storage.parse_briefing("<text>", storage.parse_json("<text>", text))


class Obj(list):  # ordered (key, value) pairs; duplicates allowed
    pass


WS_OK = st.sampled_from(["", " ", "\n", "\t", "\r\n", "  \n  "])
WS_ANY = st.one_of(
    WS_OK,
    WS_OK,
    WS_OK,
    WS_OK,
    st.sampled_from(["\u00a0", "\f", "\v", "\u2028", "\ufeff", "\u3000"]),
)

ids = st.sampled_from(
    ["e1", "e2", "E1", "e\u200b1", "\u04351", "ｅ1", "a1", "a2", "s1", "", "x y", "e1 ", "likely"]
)
dates = st.sampled_from(
    [
        "2020",
        "2020-01-02",
        "2019-05",
        "2020-03-04",
        "2018",
        "2021-13-01",
        "~2020",
        "2020-01-02/2020-02-01",
        "",
        "c. 1990",
        "2019-01-23",
    ]
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10),
    st.sampled_from([0.5, -0.0, 1e300]),
    st.text(max_size=4),
    ids,
    dates,
)
RAWNUM = st.sampled_from(
    [
        "1e400",
        "-1e400",
        "NaN",
        "Infinity",
        "-0",
        "-0.0",
        "1E2",
        "9" * 5000,
        '"\\ud800"',
        '"\\ud83d\\ude00"',
        '"\\u0065"',
    ]
)


def jvals(depth=3):
    return st.recursive(
        scalars,
        lambda ch: st.one_of(
            st.lists(ch, max_size=3),
            st.lists(st.tuples(st.sampled_from(["a", "b", "events", "id"]), ch), max_size=3)
            .filter(lambda pairs: len({k for k, _ in pairs}) == len(pairs)
                    or len(str(pairs)) % 8 == 0)
            .map(Obj),
        ),
        max_leaves=8,
    )


def pick(valid, invalid):
    return st.integers(0, 9).flatmap(
        lambda n: st.sampled_from(invalid) if n == 5 else st.sampled_from(valid)
    )


def maybe(strat, p_other=True):
    return st.integers(0, 39).flatmap(lambda n: jvals() if n == 17 else strat)


uid = st.one_of(*[st.just(f"e{i}") for i in range(30)], ids)

quote = st.builds(
    lambda text, src, spk, cred, tr, orig, unk, keep: Obj(
        [
            kv
            for kv, k in zip(
                [
                    ("text", text),
                    ("source", src),
                    ("speaker", spk),
                    ("credibility", cred),
                    ("translated", tr),
                    ("original", orig),
                ]
                + unk,
                keep + [True] * len(unk),
                strict=True,
            )
            if k
        ]
    ),
    maybe(pick(["q", "Ünï"], [""])),
    maybe(pick(["s1", "s2", ""], ["a1", "s9"])),
    maybe(st.sampled_from(["Bob", "bob", None, ""])),
    maybe(pick([None, 1, 3, 6], [0, 7, True])),
    maybe(st.booleans()),
    maybe(st.sampled_from([None, "orig", ""])),
    st.lists(st.tuples(st.sampled_from(["zz", "text", "x"]), jvals()), max_size=2).filter(
        lambda pairs: not pairs or len(str(pairs)) % 5 == 0
    ),
    st.tuples(st.just(True), st.just(True), *[st.booleans()] * 4).map(list),
)

event = st.builds(
    lambda vals, keep, unk, order: Obj(
        [p for p, k in zip(vals, keep, strict=True) if k] + unk
        if not order
        else list(reversed([p for p, k in zip(vals, keep, strict=True) if k] + unk))
    ),
    st.tuples(
        st.tuples(st.just("id"), maybe(uid)),
        st.tuples(st.just("title"), maybe(pick(["T", "Ω"], ["", " ", "\u3000"]))),
        st.tuples(
            st.just("date"),
            maybe(
                pick(
                    ["2020", "2020-01-02", "2019-05", "2018"],
                    ["2021-13-01", "", "c. 1990", "~2020"],
                )
            ),
        ),
        st.tuples(st.just("end"), maybe(pick([None, "2021", "2022-02-02"], ["2017", "bad"]))),
        st.tuples(st.just("actors"), maybe(st.lists(pick(["a1", "a2"], ["a3", "A1"]), max_size=3))),
        st.tuples(
            st.just("tags"),
            maybe(st.lists(st.sampled_from(["t", "likely", "a1", "ü"]), max_size=3)),
        ),
        st.tuples(st.just("notes"), maybe(st.sampled_from(["", "n", "**b**"]))),
        st.tuples(st.just("quotes"), maybe(st.lists(quote, max_size=2))),
        st.tuples(
            st.just("likelihood"),
            maybe(
                pick([None, "likely", "almost certain", "unlikely"], ["Likely", "very likely", 3])
            ),
        ),
        st.tuples(st.just("confidence"), maybe(pick([None, "low", "high", "moderate"], ["x", ""]))),
    ),
    st.tuples(st.just(True), st.just(True), st.just(True), *[st.integers(0, 2).map(bool)] * 7).map(
        list
    ),
    st.lists(
        st.tuples(st.sampled_from(["zz", "id", "events", "actors", "format"]), jvals()), max_size=2
    ).filter(lambda pairs: len(pairs) == 0 or len(str(pairs)) % 10 == 0),
    st.booleans(),
)

actor = st.builds(
    lambda i, n, c, unk: Obj(
        [("id", i), ("name", n)] + ([("color", c)] if c is not None else []) + unk
    ),
    maybe(pick(["a1", "a2", "a3", "a4", "b5"], ["A1", "a\u200b1", "a1"])),
    maybe(pick(["A", "Ö"], [""])),
    st.one_of(st.none(), pick(["#112233"], ["red"])),
    st.lists(st.tuples(st.just("zz"), jvals()), max_size=1),
)
source = st.builds(
    lambda i, t, r, p: Obj(
        [("id", i), ("title", t)]
        + ([("reliability", r)] if r else [])
        + ([("published", p)] if p else [])
    ),
    maybe(pick(["s1", "s2"], ["S1", "s\u200b1"])),
    maybe(pick(["S"], [""])),
    pick([None, "A", "B", "F"], ["Z"]),
    pick([None, "2020-01-01"], ["x"]),
)

top_entry = st.one_of(
    st.tuples(st.just("format"), maybe(st.sampled_from(["briefing/1", "briefing/2", None]))),
    st.tuples(st.just("title"), maybe(st.sampled_from(["T", ""]))),
    st.tuples(
        st.sampled_from(["summary", "classification", "updated"]), maybe(st.sampled_from(["s", ""]))
    ),
    st.tuples(st.just("actors"), maybe(st.lists(actor, max_size=3))),
    st.tuples(st.just("sources"), maybe(st.lists(source, max_size=2))),
    st.tuples(st.just("events"), maybe(st.lists(event, max_size=4))),
    st.tuples(st.sampled_from(["zz", "Events", "x"]), jvals()),
)
top = st.builds(
    lambda base, extra, perm: Obj(perm(base + extra)),
    st.tuples(
        st.just(("title", "T")),
        st.tuples(
            st.just("actors"),
            st.lists(actor, min_size=2, max_size=4, unique_by=lambda a: str(a[0][1])),
        ),
        st.tuples(
            st.just("sources"),
            st.lists(source, min_size=1, max_size=2, unique_by=lambda a: str(a[0][1])),
        ),
        st.tuples(
            st.just("events"),
            st.lists(
                event,
                min_size=1,
                max_size=6,
                unique_by=lambda a: str(dict((k, v) for k, v in a if isinstance(k, str)).get("id")),
            ),
        ),
    ).map(list),
    st.lists(top_entry, max_size=2),
    st.randoms().map(
        lambda r: lambda pairs: r.sample(pairs, len(pairs)) if r.random() < 0.5 else pairs
    ),
)


def esc_key(k, draw):
    if k and draw(st.integers(0, 9)) == 0:
        i = draw(st.integers(0, len(k) - 1))
        return json.dumps(k[:i])[:-1] + f"\\u{ord(k[i]):04x}" + json.dumps(k[i + 1 :])[1:]
    return json.dumps(k, ensure_ascii=draw(st.booleans()))


@st.composite
def render(draw, value, bad_ws):
    ws = WS_ANY if bad_ws else WS_OK
    if isinstance(value, Obj):
        parts = [
            esc_key(k, draw) + draw(ws) + ":" + draw(ws) + draw(render(v, bad_ws)) for k, v in value
        ]
        return "{" + draw(ws) + ("," + draw(ws)).join(parts) + draw(ws) + "}"
    if isinstance(value, list):
        parts = [draw(render(v, bad_ws)) for v in value]
        trail = "," if parts and bad_ws and draw(st.integers(0, 20)) == 0 else ""
        return "[" + draw(ws) + ("," + draw(ws)).join(parts) + trail + draw(ws) + "]"
    if bad_ws and isinstance(value, str) and draw(st.integers(0, 40)) == 0:
        return draw(RAWNUM)
    return json.dumps(value, ensure_ascii=draw(st.booleans()))


@st.composite
def documents(draw):
    bad = draw(st.integers(0, 5)) == 0
    t = (
        draw(WS_ANY if bad else WS_OK)
        + draw(render(draw(top), bad))
        + draw(WS_ANY if bad else WS_OK)
    )
    m = draw(st.integers(0, 30))
    if m == 0 and t:  # delete one char
        i = draw(st.integers(0, len(t) - 1))
        t = t[:i] + t[i + 1 :]
    elif m == 1:  # insert one char
        i = draw(st.integers(0, len(t)))
        t = t[:i] + draw(st.sampled_from(list(',]}[{":\\ 0e\u00a0'))) + t[i:]
    elif m == 2:
        t = t + draw(st.sampled_from(["{}", "x", ",", "\u00a0", "\x00"]))
    return t


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(documents())
def test_loading_event_by_event_matches_the_checked_path(text):
    expected = outcome(checked, text)
    got = outcome(lambda t: storage.loads(t, "<text>"), text)
    assert got == expected
    if expected[0] == "ok":
        assert storage.dumps(got[1]) == storage.dumps(expected[1])
