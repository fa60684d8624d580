"""Stemming is shared by every student's retrieval: four answers built at once must stem as one does."""

from __future__ import annotations

import threading

from knowledge.ingest import lexicon

WORDS = [f"{w}{suffix}" for w in ("sampl", "normaliz", "convolut", "embedd", "regular", "optimiz", "generat", "attent")
         for suffix in ("ing", "ation", "ations", "ers", "edly", "ingly", "ization", "izations", "fulness", "ively")]


def test_four_threads_stem_as_one_does():
    lexicon.stem.cache_clear()
    alone = {w: lexicon.stem(w) for w in WORDS}
    got: list[dict[str, str]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def work(offset: int) -> None:
        barrier.wait()
        try:
            mine = {}
            for _ in range(200):
                lexicon.stem.cache_clear()  # each call stems afresh
                for w in WORDS[offset:] + WORDS[:offset]:
                    mine[w] = lexicon.stem(w)
            got.append(mine)
        except Exception as e:  # noqa: BLE001 - the failure this test looks for
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i * 7,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert got == [alone] * 4
