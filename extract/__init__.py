"""Extraction stage: files → papers table (:func:`load`) → typed concept mentions
(:func:`extract_concepts`, also ``conceptgraph.extract_concepts``).
"""
from .corpus import PAPER_COLUMNS, detect_language, load, paper_id, sample_corpus
from .readers import InputError


def extract_concepts(papers, nlp=None, *, model=None, lexicon_paths=(), batch_size=None):
    """Find typed concept mentions in a papers table.

    Parameters
    ----------
    papers : DataFrame with ``id``, ``title``, ``abstract``, ``lang`` (see :func:`load`).
    nlp : a pipeline from :func:`conceptgraph.extract.nlp.build_nlp`; built when None.
    model : name of an installed spaCy model to use instead of ``spacy.blank("en")``.
    lexicon_paths : extra lexicon files (see ``extract/data/README.md``).

    Returns
    -------
    (mentions, concepts) : DataFrames. ``mentions`` has ``paper_id, field, start,
    end, text, type, concept_id``; ``concepts`` has ``concept_id, label, type,
    aliases, generic, n_papers, n_mentions``.

    Examples
    --------
    >>> import conceptgraph
    >>> mentions, concepts = conceptgraph.extract_concepts(conceptgraph.load())
    >>> "densenet" in set(concepts.concept_id)
    True
    """
    from .nlp import build_nlp, extract_mentions  # spaCy loads only when needed

    if nlp is None:
        nlp = build_nlp(model=model, lexicon_paths=lexicon_paths)
    return extract_mentions(papers, nlp=nlp, batch_size=batch_size)


__all__ = ["load", "extract_concepts", "sample_corpus", "detect_language", "paper_id", "InputError",
           "PAPER_COLUMNS"]
