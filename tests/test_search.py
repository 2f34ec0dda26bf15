"""Search folding: case- and accent-insensitive, the Latin-1 fast path equal to the general one."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from briefing_app.model.search import _fold_any, fold


def by_the_book(text: str) -> str:
    """NFKD, drop the combining marks, casefold: what folding means."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def test_accents_and_case_fold_away():
    assert fold("Perú, Callao") == "peru, callao"
    assert fold("SÃO PAULO ½ µg") == by_the_book("SÃO PAULO ½ µg")  # the Latin-1 specials
    assert fold("Straße “Chancay” — Ωμέγα") == "strasse “chancay” — ωμεγα"


@given(st.text(alphabet=st.characters(max_codepoint=0xFF)))
def test_latin1_fast_path_folds_like_the_book(text):
    assert fold(text) == by_the_book(text) == _fold_any(text)


@given(st.text())
def test_any_text_folds_like_the_book(text):
    assert fold(text) == by_the_book(text)
