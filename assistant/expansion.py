"""Query expansion with the bilingual glossary: a term in a question brings its other names."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.lexical import Tokenizer
from ingest.errors import CorpusError
from ingest.yamlio import load_yaml

GLOSSARY_FILE = "glossary.yaml"


@dataclass(frozen=True)
class Term:
    """One glossary entry: every name it goes by, in both languages."""

    zh: tuple[str, ...]  # the Chinese term first, then its aliases
    en: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return self.zh + self.en


def load_glossary(corpus_dir: Path) -> list[Term]:
    """The glossary's terms, or none when the corpus has no glossary."""
    path = corpus_dir / GLOSSARY_FILE
    if not path.is_file():
        return []
    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CorpusError(f"{path} is not valid YAML: {exc}") from exc
    terms = []
    for entry in data.get("terms") or []:
        if not isinstance(entry, dict):
            continue
        zh = _names(entry.get("zh"), entry.get("aliases_zh"))
        en = _names(entry.get("en"), entry.get("aliases_en"))
        if zh or en:
            terms.append(Term(zh=zh, en=en))
    return terms


def _names(main: object, aliases: object) -> tuple[str, ...]:
    values = [main] if isinstance(main, str) else list(main or [])
    values += [aliases] if isinstance(aliases, str) else list(aliases or [])
    return tuple(dict.fromkeys(str(v).strip() for v in values if v and str(v).strip()))


class Expander:
    """Finds glossary terms in a question and returns its other names, as weighted tokens."""

    def __init__(self, terms: list[Term], tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        # every name with its tokens and language; Chinese names are found as substrings,
        # others as runs of tokens, looked up by their first token
        self._names: list[list[tuple[str, str, tuple[str, ...]]]] = []
        self._chinese: list[tuple[str, int]] = []
        self._by_first_token: dict[str, list[tuple[tuple[str, ...], str, int]]] = {}
        for index, term in enumerate(terms):
            names = [("zh", n, tokenizer.tokens(n)) for n in term.zh]
            names += [("en", n, tokenizer.tokens(n)) for n in term.en]
            self._names.append([entry for entry in names if entry[2]])
            for _, name, form in self._names[-1]:
                if _is_chinese(name):
                    self._chinese.append((name, index))
                else:
                    self._by_first_token.setdefault(form[0], []).append((form, name, index))

    def expand(
        self, query: str, tokens: tuple[str, ...], languages: tuple[str, ...] = ("zh", "en")
    ) -> dict[str, float]:
        """Tokens of the other names, in ``languages``, of every term the query names.

        Each term counts once per language: its other names in that language share one
        unit of weight, spread evenly over their tokens, so a term with a long official
        name does not outweigh the rest of the question. Tokens the question already
        has are left out.
        """
        named: dict[int, set[str]] = {}
        for name, index in self._chinese:
            if name in query:
                named.setdefault(index, set()).add(name)
        for token in set(tokens):
            for form, name, index in self._by_first_token.get(token, ()):
                if _contains(tokens, form):
                    named.setdefault(index, set()).add(name)
        weights: dict[str, float] = {}
        for index, used in named.items():
            for language in languages:
                others = [
                    f for lang, n, f in self._names[index] if lang == language and n not in used
                ]
                for form in others:
                    for token in form:
                        if token not in tokens:
                            share = 1.0 / (len(others) * len(form))
                            weights[token] = weights.get(token, 0.0) + share
        return weights


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def _contains(tokens: tuple[str, ...], form: tuple[str, ...]) -> bool:
    """Whether ``form`` occurs in ``tokens`` as a run of consecutive tokens."""
    n = len(form)
    return any(tokens[i : i + n] == form for i in range(len(tokens) - n + 1))
