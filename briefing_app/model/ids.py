"""Ids for new records: a slug from a name, made unique against the ids already taken."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .storage import id_key

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, fallback: str = "item") -> str:
    """"Perú’s Navy: 2024!" -> "perus-navy-2024"; only [a-z0-9-], at most 60 characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > 60:
        slug = slug[:60].rsplit("-", 1)[0] or slug[:60]
    return slug or fallback


def unique_id(wanted: str, taken: Iterable[str]) -> str:
    """`wanted`, or `wanted-2`, `-3`...: never equal to, nor a look-alike of, a taken id."""
    return unique_id_of_keys(wanted, {id_key(t) for t in taken})


def unique_id_of_keys(wanted: str, keys: set[str],
                      next_suffix: dict[str, int] | None = None) -> str:
    """unique_id against the id_key()s of the taken ids: for many ids in a row (a paste,
    a file's events added), where building the keys for each would be quadratic (10k
    events added to 10k took minutes). `next_suffix` remembers, for each id wanted, the
    first suffix not yet tried, for a caller whose ids are only ever added (many rows
    titled alike would otherwise retry -2, -3... each time)."""
    if id_key(wanted) not in keys:
        return wanted
    n = 2 if next_suffix is None else next_suffix.get(wanted, 2)
    while id_key(f"{wanted}-{n}") in keys:
        n += 1
    if next_suffix is not None:
        next_suffix[wanted] = n + 1
    return f"{wanted}-{n}"
