"""The answer engine: a question in, an Answer out, through one chain of runnables.

    clean → resolve follow-up → the document's own facts (cover header) ─┐
                              → figures (tables) ─────────────────────┼→ Answer
                              → retrieve → refuse or compose ─────────┘

Every number in an answer comes from the figures engine (with its sources and
formula) or is inside a quote of the report; nothing else writes numbers.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from itertools import pairwise

from langchain_core.runnables import RunnableLambda

from assistant import replies
from assistant.cache import cached
from assistant.document_facts import answer_about_document
from assistant.figure_answers import RETRIEVED_ROWS, FigureAnswerer
from assistant.followup import is_follow_up, named_in, resolve
from assistant.generative import make_chat_model, rephrase
from assistant.inputs import clean_question
from assistant.model import ANSWERED, INVALID_INPUT, NOT_IN_REPORT, Answer, Hit
from assistant.narrative import (
    Vocabulary,
    best_excerpts,
    complete_list,
    compose,
    compose_parts,
    numbered_parts,
    passage_sentences,
)
from assistant.passages import TABLE_ROW
from assistant.scope import out_of_scope, unknown_names, years_in
from assistant.settings import Settings
from assistant.terms import tag_words, tokens
from assistant.understand import PEOPLE, asks_for_figure, cue_words
from ingest.corpus import corpus_hash, load_corpus, select_report
from ingest.model import HEADING, KINDS, Report
from ingest.tables import numbers_in

RETRIEVE_K = 8
UNEXPLAINED = 0.4  # more of a question than this unexplained by the cells: not a table answer
RARE_MODIFIER = 6.0  # idf of a word the report uses only a few times (if at all)
KNOWN_UNEXPLAINED = 0.5  # a word the report uses elsewhere counts half ("came", "sick")
# words that ask for a figure without naming what is measured
FIGURE_WORDS = set(
    tokens(
        "number total share percentage percent proportion rate figure count amount level "
        "比例 比率 占比 人数 数量 总数 百分比 百分之 百分之几 百分之多少 "
        "几个 几位 几名 多少人 一共 总共 合计 "
        "get got receive received hold held there were was take took make made "
        "most least highest lowest largest smallest top had have has did does "
        "最多 最少 最高 最低 最大 最小 收到 获得 举行 开展 进行 完成 达到 "
        "difference gap change rise rose increase grow growth fell drop compare versus "
        "差距 相差 差 增加 增长 上升 提高 下降 减少 变化 比较 "
        "percentage points point points 百分点 个百分点 分点 "
        # when: the figures carry their own periods
        "year years previous prior before earlier "
        "一年 前一年 上一年 去年 今年 三年 两年 上一周期 周期"
    )
)
# past forms that do not end in -ed (the regular ones are found by their ending)
IRREGULAR_VERBS = set(
    "grown grew rose risen fell fallen made took taken gave given went gone got gotten "
    "came come became become held kept left lost met paid put ran saw seen sent set spent "
    "stood told thought won brought bought built chose chosen drew drawn found".split()
)
# a question for the bar that figures cleared, not for the figures themselves
THRESHOLD_CUE = re.compile(
    r"(超过|高于|低于|不到|达到)了?(多少|几)|\b(above|over|below|under|exceed(ed)?) what\b", re.I
)
# a question for a number: answered from text only by a passage that states one
COUNT_CUE = re.compile(r"\bhow (many|much)\b|多少|几(个|名|次|项|人|份|天|场|位|家|种|类)", re.I)
AMOUNT_WORDS = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"hundred|thousand|half|dozen)\b",
    re.I,
)


def states_an_amount(text: str) -> bool:
    """Whether a passage gives a number: digits, number words, Chinese numerals (not a
    bare year, which dates rather than counts)."""
    years = {Decimal(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", text)}
    return bool(set(numbers_in(text)) - years) or bool(AMOUNT_WORDS.search(text))


# narrative answers quote the report's text; table rows are answered by the figures path
TEXT_KINDS = set(KINDS) - {HEADING}


@dataclass
class Turn:
    question: str  # as resolved against earlier turns
    answer: Answer
    intent: object | None = None  # the figure intent, when tables answered


@dataclass
class Conversation:
    """The turns of one chat, so that follow-ups resolve against what came before."""

    engine: Engine
    turns: list[Turn] = field(default_factory=list)

    def ask(self, question: str, language: str | None = None) -> Answer:
        turn = self.engine.answer_turn(question, language, self.turns)
        if turn.answer.status != INVALID_INPUT:
            self.turns.append(turn)
        return turn.answer


class Engine:
    """Loads the report, its tables and the index once; answers many questions."""

    def __init__(
        self, settings: Settings, report: Report, retriever, figures=None, chat_model=None
    ) -> None:
        self.settings = settings
        self.report = report
        self.retriever = retriever
        self.figures = figures  # assistant.figure_answers.FigureAnswerer, when tables exist
        self.chat_model = chat_model  # optional generative phrasing (off by default)
        texts = [u.text for ed in report.editions.values() for u in ed.units]
        self.vocab = Vocabulary(texts)
        # reading order, for a list announced at the end of one unit and given in the next
        first = next(iter(report.editions.values()))
        self._following = dict(pairwise(u.id for u in first.units if u.kind != HEADING))
        self.chain = (
            RunnableLambda(self._prepare)
            | RunnableLambda(self._answer_about_document)
            | RunnableLambda(self._answer_from_tables)
            | RunnableLambda(self._answer_from_text)
        )

    @classmethod
    def load(cls, settings: Settings | None = None) -> Engine:
        """The engine over the corpus and index that ``settings`` name (index built if missing)."""
        from assistant.retrieval import Retriever

        settings = settings or Settings.load()
        report = cached(
            settings.cache_dir,
            "report",
            corpus_hash(settings.corpus_dir),
            lambda: select_report(load_corpus(settings.corpus_dir)),
        )
        retriever = Retriever.load_or_build(settings)
        figures = FigureAnswerer.load(settings, report)
        return cls(settings, report, retriever, figures, make_chat_model(settings))

    def conversation(self) -> Conversation:
        return Conversation(self)

    def ask(self, question: str, language: str | None = None) -> Answer:
        """Answer one question on its own, with no conversation context."""
        return self.answer_turn(question, language, []).answer

    def other_edition(self, unit_id: str, language: str) -> str:
        """The text of a unit in another edition ('' if that edition lacks it)."""
        edition = self.report.editions.get(language)
        unit = edition.by_id().get(unit_id) if edition else None
        return unit.text if unit else ""

    def answer_turn(self, question: str, language: str | None, history: list[Turn]) -> Turn:
        started = time.perf_counter()
        state = self.chain.invoke({"raw": question, "language": language, "history": history})
        answer = replace(state["answer"], timing_ms=(time.perf_counter() - started) * 1000)
        return Turn(state.get("resolved", question), answer, state.get("intent"))

    # --- the chain's steps: each takes and returns the state dict ---------------------------

    def _prepare(self, state: dict) -> dict:
        clean = clean_question(state["raw"], self.settings.max_question_chars, state["language"])
        state["language"] = clean.language
        if clean.problem:
            state["answer"] = Answer(
                question=state["raw"][:500],
                language=clean.language,
                status=INVALID_INPUT,
                answer=clean.problem[clean.language],
            )
            return state
        state["clean"] = clean
        state["resolved"] = resolve(clean.text, state["history"])
        return state

    def _answer_about_document(self, state: dict) -> dict:
        if "answer" in state:
            return state
        answer = answer_about_document(state["resolved"], state["language"], self.report)
        if answer is not None:
            other = self.other_edition(answer.citations[0].unit_id, _other(state["language"]))
            citation = replace(answer.citations[0], other_language_quote=other)
            state["answer"] = replace(answer, question=state["clean"].text, citations=(citation,))
        return state

    def _answer_from_tables(self, state: dict) -> dict:
        if "answer" in state or self.figures is None:
            return state
        text = state["clean"].text
        if THRESHOLD_CUE.search(text):
            return state  # "都超过了多少分": the bar the report says they cleared, in its text
        if unknown_names(text, self.vocab):
            return state  # it asks about something the report never names (India, WHO, D2)
        # the figures path reads the question as asked, with the whole conversation, and
        # the table rows the retriever finds for it (read with the context of a follow-up)
        row_hits = self.retriever.search(
            state["resolved"], k=RETRIEVED_ROWS, language=state["language"], kinds={TABLE_ROW}
        )
        retrieved = [(h.table, h.row) for h in row_hits if h.table and h.row]
        # a follow-up to a text answer ("它现在在多少个国家使用？") is read with the names
        # of the question it follows (eMadrid); otherwise the figures path reads it as asked
        follow_up = bool(state["history"]) and is_follow_up(text)
        earlier_figures = any(t.intent for t in state["history"])
        subject = named_in(state["history"][-1].question) if follow_up else ""
        asked = f"{text} {subject}" if subject and not earlier_figures else text
        result = self.figures.answer(asked, state["language"], state["history"], retrieved)
        if result is not None and not self._speaks_of_years(text, result[0]):
            result = None
        if result is not None and not follow_up and self._unexplained(text, result) > UNEXPLAINED:
            result = None  # the cells found leave the question's main words unaccounted for
        crossing = self.figures.crossed(text) if not follow_up and asks_for_figure(text) else []
        if crossing and (result is None or self._leaves_out(text, result, crossing)):
            # "how many of the African candidates were women": no table holds both
            state["refusal"] = "breakdown"
            return state
        if result is not None:
            answer, intent = result
            state["answer"] = replace(answer, question=state["clean"].text)
            state["intent"] = intent
        return state

    def _leaves_out(self, question: str, result: tuple, measures: list) -> bool:
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

    def _unexplained(self, question: str, result: tuple) -> float:
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
        # only words the report never uses count: "came" is unexplained but harmless,
        # "离职率" or "salary" means the question is about something else
        missing = sum(
            self.vocab.idf(t)
            * (1.0 if not self.vocab.known(t) and t not in verbs else KNOWN_UNEXPLAINED)
            for t in sorted(terms)
            if t not in explained
        )
        return missing / sum(self.vocab.idf(t) for t in sorted(terms))

    def _other_kind(self, question: str, explained: set[str], verbs: set[str]) -> bool:
        """A rare word that qualifies a word of the cells' names, and that they do not
        share: "sick days" is not "learning days", "female managers" not "managers"."""
        words = [tokens(w) for w in re.findall(r"[A-Za-z][A-Za-z\-]*", question)]
        for before, after in pairwise(words):
            if not before or not after:
                continue
            modifier, head = before[0], after[0]
            if (
                head in explained
                and modifier not in explained
                and modifier not in verbs
                and modifier not in FIGURE_WORDS
                and self.vocab.idf(modifier) >= RARE_MODIFIER
            ):
                return True
        return False

    def _speaks_of_years(self, question: str, answer: Answer) -> bool:
        """A figure for 2025 does not answer a question about 2019 or 2026."""
        years = years_in(question) - {str(self.report.metadata.get("year_covered", ""))}
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

    def _counts_what_is_asked(self, question: str, citations) -> bool:
        """Whether a quoted sentence gives a number next to what the question counts
        ("how many consultants": a sentence with consultants and a number)."""
        topic = set(tokens(question)) - set(tokens(" ".join(cue_words(question))))
        topic -= FIGURE_WORDS | PEOPLE
        topic = {t for t in topic if not t[0].isdigit() and not _single_character(t)}
        if not topic:
            return False  # "how many staff in total?": nothing counted but people
        return any(
            states_an_amount(sentence) and topic & set(tokens(sentence))
            for c in citations
            for sentence in passage_sentences(c.quote)
        )

    def _refuse(self, state: dict, reason: str, hits: list[Hit]) -> dict:
        language = state["language"]
        state["answer"] = Answer(
            question=state["clean"].text,
            language=language,
            status=NOT_IN_REPORT,
            answer=replies.not_in_report(language, reason, hits, self.report),
        )
        return state

    def _next_unit(self, hit: Hit) -> Hit | None:
        """The unit that follows ``hit`` in reading order (headings skipped)."""
        following = self._following.get(hit.unit_id)
        return self.retriever.hit(following, hit.score, hit.language) if following else None

    def _answer_from_text(self, state: dict) -> dict:
        if "answer" in state:
            return state
        question, language = state["resolved"], state["language"]
        hits: list[Hit] = self.retriever.search(
            question, k=RETRIEVE_K, language=language, kinds=TEXT_KINDS
        )
        passages = best_excerpts(question, hits, self.vocab)
        passages = complete_list(passages, language, self._next_unit)
        asked = state["clean"].text
        covered = str(self.report.metadata.get("year_covered", ""))
        refusal = state.get("refusal") or out_of_scope(
            question, language, passages, self.vocab, asks_for_figure(asked), asked, covered
        )
        if refusal is not None:
            return self._refuse(state, refusal, hits)
        lead = passages[0] if passages else None
        parts = numbered_parts(asked, hits, self.report.edition(language).units, lead)
        if parts:
            text, citations = compose_parts(parts, language)  # "the three pillars of the GDAP"
        else:
            text, citations = compose(passages, language)
            if COUNT_CUE.search(asked) and not self._counts_what_is_asked(asked, citations):
                # "how many consultants…?": the passage that comes closest gives no number,
                # so the report does not give it
                return self._refuse(state, "no_figure", hits)
        citations = [
            replace(c, other_language_quote=self.other_edition(c.unit_id, _other(language)))
            for c in citations
        ]
        answer = Answer(
            question=state["clean"].text,
            language=language,
            status=ANSWERED,
            answer=text,
            citations=tuple(citations),
            notes=replies.edition_notes(self.report, language),
        )
        if self.chat_model is not None and not state["clean"].injection:
            answer = rephrase(self.chat_model, answer)
        state["answer"] = answer
        return state


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


def _single_character(term: str) -> bool:
    """A lone Chinese character (年, 共, 率) names nothing by itself."""
    return len(term) == 1 and "\u4e00" <= term <= "\u9fff"


def _other(language: str) -> str:
    return "en" if language == "zh" else "zh"
