"""File > Add Events from File and paste: the merge of many events."""

from dataclasses import replace

from briefing_app.model import clipboard, ids, storage
from briefing_app.model.briefing import Briefing


def test_adding_many_events_makes_ids_unique_in_linear_time(briefing, monkeypatch):
    """Each new id was checked against keys rebuilt from every id taken: adding a 10k-event
    file to a 10k-event briefing took minutes (100k: hours), the window frozen."""
    n = 3000
    base = briefing.events[0]

    def make(prefix):
        return Briefing(sources=list(briefing.sources), actors=list(briefing.actors),
                        events=[replace(base, id=f"{prefix}{i}") for i in range(n)])

    target, incoming = make("ev-"), make("ev-")
    calls = [0]
    real = storage.id_key

    def counted(text):
        calls[0] += 1
        return real(text)

    monkeypatch.setattr(ids, "id_key", counted)
    monkeypatch.setattr(clipboard, "id_key", counted, raising=False)
    events, _sources, _actors = clipboard.merge_for_paste(target, incoming)
    assert len({storage.id_key(e.id) for e in target.events + events}) == 2 * n
    assert calls[0] < 20 * n
