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


def _code_page(codec: str) -> list[str]:
    chars = []
    for code in range(256):
        try:
            chars.append(bytes([code]).decode(codec))
        except UnicodeDecodeError:
            pass
    return chars


@given(st.text(alphabet=st.sampled_from(_code_page("cp1252") + ["Ω", "\u0301"])))
def test_windows_1252_fast_path_folds_like_the_book(text):
    assert fold(text) == by_the_book(text)


def test_typographic_punctuation_folds_as_nfkd_says():
    text = "“Chancay”… ‘Perú’ — Trade™ – “São”"
    assert fold(text) == by_the_book(text) == "“chancay”... ‘peru’ — tradetm – “sao”"


@given(st.text())
def test_any_text_folds_like_the_book(text):
    assert fold(text) == by_the_book(text)
