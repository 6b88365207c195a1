"""spaCy pipeline components of the concept extractor.

Importing this package registers the factories:

``cg_lexicon``        typed lexicon matcher (:mod:`.lexicon`)
``cg_abbreviations``  long form / short form pairs (:mod:`.abbreviations`)
``cg_names``          named contributions and other unseen names (:mod:`.names`)
``cg_chunks``         unseen noun phrases typed by head word (:mod:`.chunks`)
``cg_normalize``      overlap resolution and canonical concept ids (:mod:`.normalize`)
"""
from . import abbreviations, chunks, lexicon, names, normalize

__all__ = ["abbreviations", "chunks", "lexicon", "names", "normalize"]
