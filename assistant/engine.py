"""The answer engine: a question in, an Answer out, through one chain of runnables.

    clean → resolve follow-up → the document's own facts (cover header) ─┐
                              → figures (tables) ─────────────────────┼→ Answer
                              → retrieve → refuse or compose ─────────┘

Every number in an answer comes from the figures engine (with its sources and
formula) or is inside a quote of the report; nothing else writes numbers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from itertools import pairwise

from langchain_core.runnables import RunnableLambda

from assistant import replies
from assistant.cache import cached
from assistant.document_facts import answer_about_document
from assistant.figures.reading import RETRIEVED_ROWS, FigureAnswerer
from assistant.fit import COUNT_CUE, UNEXPLAINED, Fit
from assistant.generative import make_chat_model, rephrase
from assistant.inputs import clean_question
from assistant.language.lexicon import register_report
from assistant.model import ANSWERED, INVALID_INPUT, NOT_IN_REPORT, Answer, Hit, Turn
from assistant.passages import TABLE_ROW
from assistant.settings import Settings
from assistant.text.narrative import (
    Vocabulary,
    best_excerpts,
    complete_list,
    compose,
    compose_parts,
    numbered_parts,
)
from assistant.text.scope import out_of_scope, unknown_names
from assistant.understanding.followup import named_in, resolve
from assistant.understanding.query import Query, QueryReader, known_words
from ingest.corpus import corpus_hash, load_corpus, select_report
from ingest.model import HEADING, KINDS, Report

RETRIEVE_K = 8
# a question for the bar that figures cleared, not for the figures themselves
# narrative answers quote the report's text; table rows are answered by the figures path
TEXT_KINDS = set(KINDS) - {HEADING}


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
        covered = str(report.metadata.get("year_covered", ""))
        self.fit = Fit(self.vocab, figures, covered)
        self.reader = QueryReader(
            figures.entities if figures else [],
            known_words(texts, figures.entities if figures else []),
            figures.common if figures else frozenset(),
        )
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
        register_report(settings.corpus_dir / "reports" / report.slug)
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
        query = self.reader.parse(clean.text, clean.language, state["history"])
        state["query"] = query
        state["resolved"] = resolve(query.text, state["history"])
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
        query: Query = state["query"]
        text = query.text
        if query.threshold:
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
        follow_up = query.follow_up
        earlier_figures = any(t.intent for t in state["history"])
        subject = named_in(state["history"][-1].question) if follow_up else ""
        if subject and not earlier_figures:
            carried = self.reader.parse(f"{text} {subject}", query.language, state["history"])
            query = replace(carried, asked=query.asked)
        result = self.figures.answer(query, state["history"], retrieved)
        if result is not None and not self.fit.speaks_of_years(text, result[0]):
            result = None
        if (
            result is not None
            and not follow_up
            and self.fit.unexplained(text, result) > UNEXPLAINED
        ):
            result = None  # the cells found leave the question's main words unaccounted for
        crossing = self.figures.crossed(query) if not follow_up and query.asks_figure else []
        if crossing and (result is None or self.fit.leaves_out(text, result, crossing)):
            # "how many of the African candidates were women": no table holds both
            state["refusal"] = "breakdown"
            return state
        if result is not None:
            answer, intent = result
            state["answer"] = replace(answer, question=state["clean"].text)
            state["intent"] = intent
        return state

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
        query: Query = state["query"]
        asked = query.text
        covered = str(self.report.metadata.get("year_covered", ""))
        refusal = state.get("refusal") or out_of_scope(
            question, language, passages, self.vocab, query.asks_figure, asked, covered
        )
        if refusal is not None:
            return self._refuse(state, refusal, hits)
        lead = passages[0] if passages else None
        parts = numbered_parts(asked, hits, self.report.edition(language).units, lead)
        if parts:
            text, citations = compose_parts(parts, language)  # "the three pillars of the GDAP"
        else:
            text, citations = compose(passages, language)
            if COUNT_CUE.search(asked) and not self.fit.counts_what_is_asked(asked, citations):
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


def _other(language: str) -> str:
    return "en" if language == "zh" else "zh"
