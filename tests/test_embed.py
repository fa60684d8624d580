"""Loading the embedding model: quiet in the terminal, a clear error for a model that is not there."""

from __future__ import annotations

import pytest

from knowledge.embed import EmbedderError, SentenceTransformerEmbedder


def test_loading_the_packaged_model_draws_no_progress_bar(capfd):
    capfd.readouterr()
    emb = SentenceTransformerEmbedder()
    out, err = capfd.readouterr()
    assert "Loading weights" not in err + out and "%|" not in err
    assert emb.embed(["attention pools the values"]).shape[0] == 1


def test_a_model_that_is_not_there_is_a_clear_error(tmp_path):
    with pytest.raises(EmbedderError, match=r"could not load embedding model .*ERICA_EMBED_MODEL"):
        SentenceTransformerEmbedder(str(tmp_path / "no-such-model"))
