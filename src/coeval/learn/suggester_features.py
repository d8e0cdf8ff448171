"""The features :class:`~coeval.learn.suggester.CodeSuggester` reads from a text, and their names.

Three blocks, stacked side by side: TF-IDF of lemma word 1-2-grams (so "buses" and "bus" are
one word), TF-IDF of character 2-5-grams within words (spelling variants, typos, word parts),
and one indicator per code with cue phrases saying whether the text contains one of them.
Lemmas come from the lookup table of ``spacy-lookups-data`` (:func:`coeval.learn.nlp.lemmatise`);
no spaCy model is needed.
"""

from __future__ import annotations

import numpy as np

from .text import compile_cues, normalise

__all__ = ["TextFeatures", "cue_phrases"]

# Relative weights of the blocks. Character n-grams are many and overlap, so at full weight
# they outvote the words; cue indicators (0 or 1) would drown TF-IDF values near 0.1.
CHAR_WEIGHT = 0.5
CUE_WEIGHT = 0.25


def cue_phrases(cues) -> dict[str, list[str]]:
    """``{code: [phrases]}`` from a dict or a :class:`~coeval.Codebook` (codes with no cues left out)."""
    if cues is None:
        return {}
    if hasattr(cues, "ordered"):  # a Codebook
        return {c.name: [str(p) for p in c.cues] for c in cues.ordered() if c.cues}
    return {str(k): [str(p) for p in v] for k, v in dict(cues).items() if v}


class TextFeatures:
    """Fitted vectorisers for one training set: ``fit_transform(texts)``, then ``transform(texts)``.

    Parameters
    ----------
    cues : dict
        ``{code: [phrases]}``; one indicator column per code, in this order.
    """

    def __init__(self, cues: dict[str, list[str]]):
        self.cue_codes = list(cues)
        self.patterns = [compile_cues(tuple(cues[c])) for c in self.cue_codes]

    def _cue_matrix(self, lowered):
        from scipy import sparse

        if not self.patterns:
            return sparse.csr_matrix((len(lowered), 0))
        cols = np.array([[1.0 if p is not None and p.search(t) else 0.0 for t in lowered] for p in self.patterns])
        return sparse.csr_matrix(cols.T)

    def fit_transform(self, texts):
        from sklearn.feature_extraction.text import TfidfVectorizer

        from .nlp import lemmatise

        self.words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode",
                                     lowercase=False, token_pattern=r"(?u)\b\w+\b", dtype=np.float32)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2,
                                     strip_accents="unicode", lowercase=True, max_features=60000, dtype=np.float32)
        lemmas = lemmatise(texts)
        if not any(lemmas):  # no word at all in the training texts: one dummy column keeps shapes right
            lemmas = ["_" for _ in lemmas]
        words = self.words.fit_transform(lemmas)
        try:
            chars = self.chars.fit_transform(texts)
        except ValueError:  # too few texts for min_df=2
            self.chars.set_params(min_df=1)
            chars = self.chars.fit_transform(texts)
        self.n_words, self.n_chars = words.shape[1], chars.shape[1]
        return self._stack(words, chars, texts)

    def transform(self, texts):
        from .nlp import lemmatise

        return self._stack(self.words.transform(lemmatise(texts)), self.chars.transform(texts), texts)

    def _stack(self, words, chars, texts):
        from scipy import sparse

        cues = self._cue_matrix([normalise(t) for t in texts])
        return sparse.hstack([words, chars * CHAR_WEIGHT, cues * CUE_WEIGHT]).tocsr().astype(np.float64)

    def matches(self, text: str, code: str) -> list[str]:
        """The cue phrases of ``code`` found in ``text``."""
        if code not in self.cue_codes:
            return []
        pattern = self.patterns[self.cue_codes.index(code)]
        return [] if pattern is None else [" ".join(m.split()) for m in pattern.findall(normalise(text))]

    def contributions(self, text: str, coef: np.ndarray) -> dict[str, float]:
        """How much each word or word pair of ``text`` adds to a linear score with weights ``coef``.

        Word n-grams are named by their lemmas. A character n-gram's share goes to the words it
        occurs in (split evenly), under their lemmas, so "bus", "buses" and "bus," add up as one.
        A cue indicator is named ``cue: <phrase>``.
        """
        from .nlp import lemmatise

        x = self.transform([text]).tocoo()
        out: dict[str, float] = {}
        words = self.words.get_feature_names_out()
        chars = self.chars.get_feature_names_out()
        surface = [w for w in normalise(text).split() if any(ch.isalnum() for ch in w)]
        lemma_of = dict(zip(surface, lemmatise(surface)))
        for j, value in zip(x.col, x.data):
            part = float(value * coef[j])
            if part == 0.0:
                continue
            if j < self.n_words:
                out[words[j]] = out.get(words[j], 0.0) + part
            elif j < self.n_words + self.n_chars:
                gram = chars[j - self.n_words]
                owners = {lemma_of[w] or w for w in surface if gram in f" {w} "}
                for owner in owners:
                    out[owner] = out.get(owner, 0.0) + part / len(owners)
            else:
                code = self.cue_codes[j - self.n_words - self.n_chars]
                name = "cue: " + ", ".join(self.matches(text, code))
                out[name] = out.get(name, 0.0) + part
        return out
