"""Whether what was found fits the question asked.

The tables' cells must account for the question's words, speak of the years it names and
hold every measure it names; a number quoted from the text must stand next to what the
question counts. Each check errs towards "does not fit": a confident wrong answer is worse
than a refusal (thresholds calibrated on the public suite, docs/answers.md).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from itertools import pairwise

from assistant.figures.weights import GOOD as GOOD_NAME
from assistant.language.terms import LEXICON, tag_words, tokens, years_in
from assistant.model import Answer
from assistant.text.narrative import Vocabulary, passage_sentences
from assistant.understanding.names import PEOPLE, cue_words, rows_are_measures
from ingest.tables import numbers_in

UNEXPLAINED = 0.4  # more of a question than this unexplained by the cells: not a table answer
RARE_MODIFIER = 6.0  # idf of a word the report uses only a few times (if at all)
KNOWN_UNEXPLAINED = 0.5  # a word the report uses elsewhere counts half ("came", "sick")
# words that ask for a figure without naming what is measured
FIGURE_WORDS = set(tokens(LEXICON.figure_words))
# past forms that do not end in -ed (the regular ones are found by their ending)
IRREGULAR_VERBS = LEXICON.irregular_verbs
# a question for a number: answered from text only by a passage that states one
COUNT_CUE = LEXICON.pattern("count")
QUANTITY = LEXICON.pattern("quantity")  # "overtime hours", "预算": an amount asked by its name
AMOUNT_WORDS = LEXICON.pattern("amount_words")
CHINESE_NOUNS = ("n", "vn")
MOSTLY = 0.5  # the idf-weighted share of what is asked about a quoted sentence must hold
# a number stands next to what it counts when they share a clause
CLAUSE_END = re.compile(r"(?<=[,;:])\s+|[，；：]")  # jieba tags of a noun that can qualify another


def states_an_amount(text: str) -> bool:
    """Whether a passage gives a number: digits, number words, Chinese numerals (not a
    bare year, which dates rather than counts)."""
    years = {Decimal(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", text)}
    return bool(set(numbers_in(text)) - years) or bool(AMOUNT_WORDS.search(text))


def states_a_share(text: str) -> bool:
    """Whether a passage gives a percentage or a share in words (half, 三分之一)."""
    return bool(SHARE_STATED.search(text))


SHARE_STATED = LEXICON.pattern("share_stated")


class Fit:
    """The checks, over the report's vocabulary and the tables' names."""

    def __init__(self, vocab: Vocabulary, figures, covered_year: str) -> None:
        self.vocab = vocab
        self.figures = figures  # assistant.figure_answers.FigureAnswerer
        self.covered_year = covered_year

    def leaves_out(self, question: str, result: tuple, measures: list) -> bool:
        """Whether the answer leaves out a measure the question names ("women")."""
        explained = self._explained(result)
        common = self.figures.common  # words found in many names say nothing alone
        asked = set(tokens(question))
        return any(
            (self.figures.name_words(m.entity) & asked) - explained - common for m in measures
        )

    def _explained(self, result: tuple) -> set[str]:
        """The words the cells of an answer account for: their names and source quotes."""
        answer, intent = result
        explained = set(tokens(self.figures.names_of(intent))) | PEOPLE
        for figure in answer.figures:
            explained |= set(tokens(" ".join(s.quote for s in figure.sources)))
            explained |= set(tokens(" ".join(figure.label.values())))
        return explained

    def unexplained(self, question: str, result: tuple) -> float:
        """The idf-weighted share of the question's words that the report never uses and
        that neither the cells' names nor their source quotes contain ("离职率")."""
        answer, _ = result
        explained = self._explained(result)
        # the words that ask for the operation ("grown", "最多") explain themselves
        explained |= set(tokens(" ".join(cue_words(question))))
        terms = {
            t
            for t in tokens(question)
            if not t[0].isdigit() and t not in FIGURE_WORDS and not _single_character(t)
        }
        if not terms:
            return 0.0
        # "African" is explained by "Africa", "appointees" by "appoint"
        stems = [e for e in explained if len(e) >= 4 and e.isascii()]
        explained |= {t for t in terms if any(t.startswith(e) for e in stems)}
        if any(f.unit == "percent" for f in answer.figures):
            explained |= {t for t in terms if t.endswith("率")}  # 成功率, 录取率: a rate
        # the pieces of an explained Chinese word ("成功率" → "功率") are explained too
        whole = [t for t in terms if t in explained and not t.isascii()]
        explained |= {t for t in terms if any(t in w for w in whole)}
        verbs = _verbs(question)
        if self._other_kind(question, explained, verbs):
            return 1.0
        if any(_a_thing(t) and not self._known(t) for t in terms - explained - verbs):
            return 1.0  # a word the report never uses names what is asked: "salary", "budget"
        # the measure asked is also judged on its own, apart from the rows it is asked of:
        # the long name of a row ("internal candidates and temporary staff") must not
        # outweigh the one word that says what is measured ("平均工资", "average age")
        whole = self._missing(terms, explained, verbs)
        # (a verb the report never uses may name the measure: "投诉" is to complain and
        # a complaint)
        measure = terms - self._row_words(result) - {v for v in verbs if self._known(v)}
        if not measure or self._names_measure(question, result):
            return whole
        # the cells' measure is not the one named: what is named instead must be accounted
        # for, and there only a word the report never uses counts ("工资", "age")
        unused = sum(self.vocab.idf(t) for t in sorted(measure - explained) if not self._known(t))
        return max(whole, unused / sum(self.vocab.idf(t) for t in sorted(measure)))

    def _missing(self, terms: set[str], explained: set[str], verbs: set[str]) -> float:
        """The idf-weighted share of ``terms`` left unexplained; only words the report never
        uses count in full: "came" is unexplained but harmless, "离职率" or "salary" means
        the question is about something else."""
        missing = sum(
            self.vocab.idf(t)
            * (1.0 if not self.vocab.known(t) and t not in verbs else KNOWN_UNEXPLAINED)
            for t in sorted(terms)
            if t not in explained
        )
        return missing / sum(self.vocab.idf(t) for t in sorted(terms))

    def _names_measure(self, question: str, result: tuple) -> bool:
        """Whether the question names the measure the cells hold, by one of its names (the
        row's, in a table whose rows are the things measured)."""
        _, reading = result
        measure = ("column", reading.column)
        if self._measured(reading.table) and reading.rows:
            measure = ("row", reading.rows[0])
        asked = set(tokens(question))
        return any(
            set(tokens(n.text)) <= asked
            for e in self.figures.entities
            if e.table == reading.table and (e.kind, e.key) == measure
            for n in e.names
            if tokens(n.text)
        )

    def _row_words(self, result: tuple) -> set[str]:
        """The words of every name of the rows a reading reads."""
        _, reading = result
        return {
            word
            for e in self.figures.entities
            if e.kind == "row" and e.table == reading.table and e.key in reading.rows
            for word in self.figures.name_words(e)
        }

    def _known(self, term: str) -> bool:
        """Whether the report uses a word, in British or American spelling (organis-/-iz-)."""
        return self.vocab.known(term) or self.vocab.known(term.replace("is", "iz"))

    def _other_kind(self, question: str, explained: set[str], verbs: set[str]) -> bool:
        """A rare word that qualifies a word of the cells' names, and that they do not
        share: "sick days" is not "learning days", "female managers" not "managers"."""
        words = [tokens(w) for w in re.findall(r"[A-Za-z][A-Za-z\-]*", question)]
        pairs = [(before[0], after[0]) for before, after in pairwise(words) if before and after]
        # in Chinese, a noun of the report's before the noun it qualifies: "病假天数" is
        # not "培训天数"
        pairs += [
            (modifier, head)
            for (modifier, tag), (head, _) in pairwise(_tagged(question))
            if tag in CHINESE_NOUNS and self.vocab.known(modifier)
        ]
        return any(
            head in explained
            and modifier not in explained
            and modifier not in verbs
            and modifier not in FIGURE_WORDS
            and self.vocab.idf(modifier) >= RARE_MODIFIER
            for modifier, head in pairs
        )

    def measures_what_is_asked(self, query, result: tuple) -> bool:
        """A published rate does not answer "how many" (how many days of sick leave is not
        a survey's 64%), nor a count "what rate", unless the question asks for both."""
        answer, reading = result
        if query.asks_count == query.asks_rate or reading.operation != "lookup":
            return True
        if query.operations & {"change", "difference", "share"}:
            return True  # "by how much has the number grown": a published change answers
        if query.asks_rate:
            # and a count does not answer "what rate" (a vacancy rate is not 108 vacancies)
            return not all(f.unit == "count" for f in answer.figures)
        return not all(f.unit == "percent" for f in answer.figures)

    def speaks_of_years(self, question: str, answer: Answer) -> bool:
        """A figure for 2025 does not answer a question about 2019 or 2026."""
        years = years_in(question) - {self.covered_year}
        said = " ".join(
            f"{f.label.get('zh', '')} {f.label.get('en', '')} "
            + " ".join(s.quote for s in f.sources)
            for f in answer.figures
        )
        if not all(y in said for y in years):
            return False
        # and a figure labelled with a year speaks of a year asked about ("Africa 2025"
        # does not answer "how many Africans were selected in 2022?")
        named = years_in(question)
        labelled = [
            years_in(f"{f.label.get('zh', '')} {f.label.get('en', '')}") for f in answer.figures
        ]
        return not named or all(not y or y & named for y in labelled)

    def counts_what_is_asked(self, query, citations) -> bool:
        """Whether a quoted sentence gives a number next to what the question counts
        ("how many consultants": a sentence with consultants and a number); for a rate
        ("what is the vacancy rate"), a percentage next to what it is a rate of.

        The sentence holds most of what is asked about, and the number and a word of
        what is measured (the question's words apart from those
        that ask and those that name the rows asked of) share a clause: "Western Europe's
        travel budget" needs a number about a travel budget, not any number about Western
        Europe; "the promotion rate" is not a share of appointments in a sentence that
        speaks of promotion elsewhere.
        """
        question = query.text
        topic = set(tokens(question)) - set(tokens(" ".join(cue_words(question))))
        topic -= FIGURE_WORDS | PEOPLE
        topic = {t for t in topic if not t[0].isdigit() and not _single_character(t)}
        if not topic:
            return False  # "how many staff in total?": nothing counted but people
        # (a row of a table whose rows are the things measured, "最终选定", is a measure)
        rows = {
            word
            for m in query.rows
            if m.score >= GOOD_NAME and not self._measured(m.entity.table)
            for word in tokens(" ".join(n.text for n in m.entity.names))
        }
        measure = (topic - rows) or topic
        # the words a sentence must mostly hold: not those of a table the question names
        # ("in the table of selections by region, …"), whose rows the sentence may not repeat
        tables = {
            word
            for m in query.mentions
            if m.entity.kind == "table" and m.score >= GOOD_NAME
            for word in tokens(" ".join(n.text for n in m.entity.names))
        }
        held = measure - tables
        stated = states_a_share if query.asks_rate else states_an_amount
        return any(
            (not held or self._holds(held, sentence) or self._holds(topic, sentence))
            and any(
                stated(clause) and measure & set(tokens(clause))
                for clause in CLAUSE_END.split(sentence)
            )
            for c in citations
            for sentence in passage_sentences(c.quote)
        )

    def _holds(self, words: set[str], text: str) -> bool:
        """Whether a text holds most of the words (idf-weighted)."""
        found = set(tokens(text))
        held = sum(self.vocab.idf(t) for t in sorted(words & found))
        return held >= MOSTLY * sum(self.vocab.idf(t) for t in sorted(words))

    def _measured(self, table: str) -> bool:
        """Whether a table's rows are the things measured (the pipeline's stages)."""
        return self.figures is not None and rows_are_measures(self.figures.tables[table])


def _verbs(question: str) -> set[str]:
    """Words the question uses as verbs or adverbs ("挂出", "recorded", "roughly"): how it
    asks, not what it asks about, so an unfamiliar one weighs like a word the report uses."""
    chinese = {word for word, tag in _tagged(question) if tag[:1] in ("v", "d")}
    english = re.findall(r"[A-Za-z]{3,}(?:ed|ing|ly)\b", question)
    english += [w for w in re.findall(r"[A-Za-z]+", question) if w.lower() in IRREGULAR_VERBS]
    return chinese | set(tokens(" ".join(english)))


@lru_cache(maxsize=2048)
def _tagged(question: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (p.word, p.flag) for p in tag_words(question) if "\u4e00" <= p.word[:1] <= "\u9fff"
    )


def _a_thing(term: str) -> bool:
    """An English word long enough to name something (Chinese words are judged by weight)."""
    return term.isascii() and term.isalpha() and len(term) >= 5


def _single_character(term: str) -> bool:
    """A lone Chinese character (年, 共, 率) names nothing by itself."""
    return len(term) == 1 and "\u4e00" <= term <= "\u9fff"
