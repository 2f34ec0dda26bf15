"""Synthetic briefings for the benchmarks: the same file for the same size and seed, always.

    python benchmarks/generate.py --events 10000 [--seed 6] [--out FILE]

The mix follows real briefings: mostly exact days, then months, years, early/mid/late,
quarters, "c." dates, written-out dates, ranges (one text or date + end) and a few open
dates ("before 2020"); events denser in recent years; 10 actors of which each event names
1-3 (a few none); 300-2,000-character Markdown notes with emphasis, links, lists and now and
then a table, a block quote or an accented name; 0-3 quotes from 400 sources; some estimates
and an unknown field now and then. Files land in benchmarks/data/ (gitignored).
"""

from __future__ import annotations

import argparse
import calendar
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

GENERATOR_VERSION = 1  # bump when the output changes, so cached files are rebuilt
DEFAULT_SEED = 6
DATA_DIR = Path(__file__).resolve().parent / "data"
SOURCES = 400
FIRST_YEAR, LAST_YEAR = 1990, 2026

ACTORS = [
    ("us", "United States (government)", "#2a6bd1"),
    ("peru", "Peru (government)", "#c93a3f"),
    ("china", "China (government)", "#d2601a"),
    ("peruvian-navy", "Peruvian Navy", "#7b57d1"),
    ("cosco", "COSCO Shipping Ports", ""),
    ("usace", "US Army Corps of Engineers", "#00879a"),
    ("congress", "Congress of the Republic of Peru", ""),
    ("dsca", "Defense Security Cooperation Agency", "#b0409a"),
    ("volcan", "Volcan Compañía Minera", ""),
    ("apn", "Autoridad Portuaria Nacional", "#5d7b2f"),
]
TAGS = ["callao", "chancay", "naval-base", "port", "financing", "security", "diplomacy",
        "trade", "infrastructure", "environment", "labour", "legal", "procurement", "press",
        "background", "origin", "follow-up", "claim", "correction", "military", "shipping",
        "mining", "energy", "customs", "dredging", "fisheries", "corruption", "elections",
        "protest", "audit", "budget", "treaty", "visit", "exercise", "satellite", "cable",
        "telecom", "rail", "highway", "zoning"]
PLACES = ["Callao", "Chancay", "Lima", "Huaral", "Washington", "Beijing", "Shanghai",
          "Cusco", "Paita", "Matarani", "Ilo", "Pisco", "Arequipa", "Perú", "São Paulo",
          "Panamá", "Bogotá", "Santiago", "Valparaíso", "Guayaquil", "Ancón", "Huacho"]
NOUNS = ["base", "port", "terminal", "pier", "berth", "dredging", "contract", "loan",
         "survey", "agreement", "memorandum", "tender", "permit", "plan", "study",
         "inspection", "hearing", "report", "budget", "audit", "visit", "exercise",
         "shipment", "warehouse", "breakwater", "channel", "crane", "road", "tunnel",
         "concession", "investment", "complaint", "lawsuit", "decree", "statement"]
VERBS = ["approves", "signs", "announces", "questions", "delays", "opens", "inspects",
         "funds", "cancels", "reviews", "extends", "reports on", "visits", "confirms",
         "denies", "proposes", "awards", "suspends", "completes", "expands"]
ADJECTIVES = ["naval", "commercial", "deep-water", "military", "strategic", "regional",
              "temporary", "new", "second", "disputed", "official", "classified", "public",
              "preliminary", "final", "joint", "bilateral", "multi-purpose", "coastal"]
WORDS = ("the of and to in a on for with by at from that as was is were be it this an "
         "which after before during under over between about against into through while "
         "government navy ministry officials minister spokesperson agency company port "
         "terminal base harbour channel vessel vessels ships cargo containers tonnes "
         "million billion dollars soles contract financing loan budget plan phase works "
         "construction design engineering study survey environmental impact assessment "
         "security cooperation defence strategic access presence influence concern "
         "according reported said stated confirmed denied announced documents records "
         "briefing source sources interview press release statement hearing committee "
         "congress approval permit license concession operator operators shareholder "
         "stake percent expansion capacity draught berth pier quay cranes warehouse "
         "logistics corridor highway rail tunnel inland connection region district "
         "municipality residents fishermen protest complaint lawsuit court ruling appeal "
         "audit comptroller procurement tender bid award delay schedule deadline review "
         "year month week quarter early late mid since until by first second third new "
         "former current future proposed planned completed suspended cancelled").split()
SPANISH = ("el puerto la base naval de la marina el gobierno anunció que las obras "
           "comenzarán en el próximo año según el ministerio de transportes y "
           "comunicaciones la inversión será de millones de dólares").split()
SPEAKERS = ["a Navy spokesperson", "the Minister of Defence", "a DSCA notice",
            "the port's general manager", "a US embassy official", "Congresswoman Ruiz",
            "the mayor of Chancay", "an analyst at CSIS", None, None, None]
PUBLISHERS = ["Bloomberg", "Reuters", "Gestión", "El Comercio", "La República", "AP",
              "Infobae", "South China Morning Post", "Xinhua", "US DSCA", "Diario Oficial "
              "El Peruano", "CSIS", "The Diplomat", "Caretas", "Ojo Público"]
LIKELIHOODS = ["almost no chance", "very unlikely", "unlikely", "roughly even chance",
               "likely", "very likely", "almost certain"]


class _Writer:
    """One briefing's random choices, all drawn from one seeded generator."""

    def __init__(self, n: int, seed: int) -> None:
        self.n = n
        self.rng = random.Random(f"{seed}:{n}")
        # Denser in recent years, as briefings are: day offsets drawn with a rising weight.
        self.first = date(FIRST_YEAR, 1, 1).toordinal()
        self.days = date(LAST_YEAR, 12, 31).toordinal() - self.first

    # text ------------------------------------------------------------------------------
    def words(self, k: int) -> str:
        return " ".join(self.rng.choices(WORDS, k=k))

    def sentence(self) -> str:
        rng = self.rng
        text = self.words(rng.randint(8, 22))
        pick = rng.random()
        if pick < 0.25:
            text += f" in {rng.choice(PLACES)}"
        elif pick < 0.4:
            text = f"**{self.words(2)}** {text}"
        elif pick < 0.5:
            text += f" ([{rng.choice(PUBLISHERS)}](https://example.org/{rng.randrange(10**6)}))"
        elif pick < 0.56:
            text += f" (see [the earlier event](event:ev-{rng.randrange(self.n):06d}))"
        elif pick < 0.64:
            text = f"*{self.words(3)}* {text}"
        elif pick < 0.68:
            text += f" `{rng.choice(NOUNS)}-{rng.randrange(100)}`"
        return text[0].upper() + text[1:] + "."

    def notes(self) -> str:
        rng = self.rng
        target = rng.randint(300, 2000)
        blocks: list[str] = []
        size = 0
        while size < target:
            pick = rng.random()
            if pick < 0.12:
                block = "\n".join(f"- {self.words(rng.randint(4, 12))}"
                                  for _ in range(rng.randint(2, 5)))
            elif pick < 0.15:
                block = "| item | value |\n| --- | --- |\n" + "\n".join(
                    f"| {rng.choice(NOUNS)} | {rng.randint(1, 900)} million |"
                    for _ in range(rng.randint(2, 4)))
            elif pick < 0.2:
                block = "> " + self.sentence()
            else:
                block = " ".join(self.sentence() for _ in range(rng.randint(1, 4)))
            blocks.append(block)
            size += len(block) + 2
        text = "\n\n".join(blocks)
        if len(text) > 2000:  # cut at a word so the Markdown stays well formed enough
            text = text[:2000].rsplit(" ", 1)[0].rstrip("*`[(|>-")
        return text

    def title(self) -> str:
        rng = self.rng
        actor = rng.choice(ACTORS)[1]
        return (f"{actor} {rng.choice(VERBS)} {rng.choice(ADJECTIVES)} "
                f"{rng.choice(NOUNS)} in {rng.choice(PLACES)}")

    # dates -----------------------------------------------------------------------------
    def day(self) -> date:
        offset = int(self.days * self.rng.random() ** 0.6)  # more events in later years
        return date.fromordinal(self.first + offset)

    def dates(self) -> tuple[str, str | None]:
        """(date, end or None) in the mix described in the module docstring."""
        rng, d = self.rng, self.day()
        pick = rng.random()
        if pick < 0.58:
            return d.isoformat(), None
        if pick < 0.62:
            return f"{d.day} {calendar.month_name[d.month]} {d.year}", None
        if pick < 0.64:
            return f"{calendar.month_name[d.month]} {d.day}, {d.year}", None
        if pick < 0.75:
            return f"{d.year}-{d.month:02d}", None
        if pick < 0.77:
            return f"{calendar.month_abbr[d.month]} {d.year}", None
        if pick < 0.81:
            return str(d.year), None
        if pick < 0.86:
            return f"{rng.choice(('early', 'mid', 'late'))} {d.year}", None
        if pick < 0.88:
            return f"Q{(d.month - 1) // 3 + 1} {d.year}", None
        if pick < 0.92:
            return rng.choice((f"c. {d.isoformat()}", f"c. {d.year}-{d.month:02d}",
                               f"circa {d.year}", f"{d.year}~", f"{d.isoformat()}?")), None
        if pick < 0.955:  # date + end: a span of days to months
            end = d + timedelta(days=rng.randint(2, 200))
            return d.isoformat(), end.isoformat()
        if pick < 0.975:
            end = d + timedelta(days=rng.randint(30, 500))
            return f"{d.year}-{d.month:02d}", f"{end.year}-{end.month:02d}"
        if pick < 0.99:
            span = rng.randint(1, 3)
            if d.year + span > LAST_YEAR:
                return f"{d.year - span}/{d.year}", None
            return f"{d.year}/{d.year + span}", None
        return rng.choice((f"before {d.year}", f"after {d.isoformat()}")), None

    # records ---------------------------------------------------------------------------
    def source(self, k: int) -> dict:
        rng = self.rng
        out = {"id": f"src-{k:04d}",
               "title": f"{self.words(rng.randint(4, 9)).capitalize()} {rng.choice(PLACES)}",
               "publisher": rng.choice(PUBLISHERS),
               "url": f"https://example.org/story/{k}"}
        if rng.random() < 0.9:
            out["published"] = self.day().isoformat()
        if rng.random() < 0.8:
            out["reliability"] = rng.choice("ABCDEF")
        return out

    def quote(self) -> dict:
        rng = self.rng
        out = {"text": self.words(rng.randint(12, 60)).capitalize() + ".",
               "source": f"src-{rng.randrange(SOURCES):04d}"}
        speaker = rng.choice(SPEAKERS)
        if speaker:
            out["speaker"] = speaker
        if rng.random() < 0.6:
            out["credibility"] = rng.randint(1, 6)
        if rng.random() < 0.2:
            out["translated"] = True
            out["original"] = " ".join(rng.choices(SPANISH, k=rng.randint(10, 30))).capitalize()
        return out

    def event(self, i: int) -> dict:
        rng = self.rng
        when, end = self.dates()
        out: dict = {"id": f"ev-{i:06d}", "title": self.title(), "date": when}
        if end is not None:
            out["end"] = end
        roll = rng.random()
        count = 0 if roll < 0.03 else 1 if roll < 0.55 else 2 if roll < 0.85 else 3
        out["actors"] = [a[0] for a in rng.sample(ACTORS, count)]
        out["tags"] = rng.sample(TAGS, rng.choices((0, 1, 2, 3, 4), (5, 30, 35, 20, 10))[0])
        out["notes"] = self.notes()
        out["quotes"] = [self.quote() for _ in range(rng.choices((0, 1, 2, 3),
                                                                 (25, 40, 25, 10))[0])]
        if rng.random() < 0.3:
            out["likelihood"] = rng.choice(LIKELIHOODS)
        if rng.random() < 0.3:
            out["confidence"] = rng.choice(("low", "moderate", "high"))
        if rng.random() < 0.01:
            out["x-review"] = {"by": "analyst", "status": rng.choice(("open", "done"))}
        return out


def generate(n: int, seed: int = DEFAULT_SEED) -> dict:
    """The briefing as decoded JSON; the same for the same (n, seed)."""
    w = _Writer(n, seed)
    sources = [w.source(k) for k in range(SOURCES)]
    events = [w.event(i) for i in range(n)]
    w.rng.shuffle(events)  # files are rarely in date order
    return {
        "format": "briefing/1",
        "title": f"Synthetic briefing, {n:,} events",
        "summary": "Generated by `benchmarks/generate.py` for timing: **not real events**.",
        "classification": "UNCLASSIFIED // synthetic",
        "updated": "2026-01-01",
        "actors": [{"id": a, "name": name, **({"color": c} if c else {})}
                   for a, name, c in ACTORS],
        "sources": sources,
        "events": events,
    }


def path_for(n: int, seed: int = DEFAULT_SEED) -> Path:
    return DATA_DIR / f"briefing-{n}-s{seed}-v{GENERATOR_VERSION}.json"


def ensure(n: int, seed: int = DEFAULT_SEED) -> Path:
    """The file for (n, seed), generated on first use."""
    path = path_for(n, seed)
    if not path.exists():
        write(generate(n, seed), path)
    return path


def write(data: dict, path: Path) -> None:
    """As the app saves: 2-space indent, UTF-8, trailing newline (written via a temp file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes((json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, help="write here instead of benchmarks/data/")
    args = parser.parse_args(argv)
    if args.out is not None:
        write(generate(args.events, args.seed), args.out)
        path = args.out
    else:
        path = ensure(args.events, args.seed)
    print(f"{path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
