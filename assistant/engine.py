"""The answer engine: a question in, an Answer out, through one chain of typed stages.

    clean → parse (Query) → the document's own facts (cover header) ─┐
                          → figures (tables, checked for fit) ───────┼→ Answer
                          → retrieve → refuse or compose ────────────┘

Each stage takes a ``Step`` and returns one: the parsed ``Query`` and, once a stage
settles it, the ``Answer`` (or the reason for a refusal), with why it was decided.
Every number in an answer comes from the figures engine (with its sources and
formula) or is inside a quote of the report; nothing else writes numbers.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field, replace
from itertools import pairwise

from langchain_core.runnables import RunnableLambda

from assistant import replies
from assistant.across import compare_reports
from assistant.cache import cached
from assistant.document_facts import answer_about_document
from assistant.figures.reading import FigureAnswerer
from assistant.figures.weights import GOOD as GOOD_NAME
from assistant.figures.weights import RETRIEVED_ROWS
from assistant.fit import COUNT_CUE, QUANTITY, UNEXPLAINED, Fit
from assistant.generative import make_chat_model, rephrase
from assistant.inputs import CleanQuestion, clean_question
from assistant.language.lexicon import own_names, register_report, speaking_of
from assistant.language.terms import tokens, years_in
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
from assistant.understanding.meaning import NameMeaning, name_vectors
from assistant.understanding.query import Query, QueryReader, known_words
from assistant.understanding.reports import Shelf, UnknownReport, read_reference, report_year
from ingest.corpus import corpus_hash, load_corpus
from ingest.model import HEADING, KINDS, Report

RETRIEVE_K = 8
# narrative answers quote the report's text; table rows are answered by the figures path
TEXT_KINDS = set(KINDS) - {HEADING}


@dataclass(frozen=True)
class Step:
    """What the chain hands from stage to stage."""

    raw: str
    history: tuple[Turn, ...]
    language: str | None
    clean: CleanQuestion | None = None
    query: Query | None = None
    resolved: str = ""  # the text retrieval reads (with the previous turn, for a follow-up)
    answer: Answer | None = None
    reading: object | None = None  # the figures reading, when tables answered
    refusal: str | None = None  # why the report cannot answer, once a stage knows
    why: tuple[str, ...] = ()  # how each stage decided (for --explain)

    def noting(self, reason: str, **changes) -> Step:
        return replace(self, why=(*self.why, reason), **changes)


@dataclass
class Conversation:
    """The turns of one chat, so that follow-ups resolve against what came before."""

    engine: Engine
    turns: list[Turn] = field(default_factory=list)
    report: str | None = None  # the report the user chose (None: the engine's default)

    def ask(self, question: str, language: str | None = None) -> Answer:
        turn = self.engine.answer_turn(question, language, self.turns, self.report)
        if turn.answer.status != INVALID_INPUT:
            self.turns.append(turn)
        return turn.answer


class Engine:
    """Every report of the corpus, each answered within itself.

    A question goes to the report it names ("in the 2012 report", "the previous report",
    a symbol), else to the report of the conversation so far, else to the one chosen
    (``--report``, the chat's picker), else to the newest. A question that sets two
    reports side by side is answered from both (``assistant.across``).
    """

    def __init__(self, settings: Settings, shelf: Shelf, retriever, tables, chat_model=None):
        self.settings = settings
        self.shelf = shelf
        self.retriever_all = retriever
        self.tables = list(tables)
        self.chat_model = chat_model
        self._engines: dict[str, ReportEngine] = {}
        self.default = self.for_report(shelf.chosen(settings.report))

    @classmethod
    def load(cls, settings: Settings | None = None) -> Engine:
        """The engine over the corpus and index that ``settings`` name (index built if missing)."""
        from assistant.retrieval import Retriever
        from ingest.tables import load_tables

        settings = settings or Settings.load()
        reports = cached(
            settings.cache_dir,
            "reports",
            corpus_hash(settings.corpus_dir),
            lambda: load_corpus(settings.corpus_dir),
        )
        for report in reports:
            register_report(report)
        retriever = Retriever.load_or_build(settings)
        tables = load_tables(settings.corpus_dir)
        return cls(settings, Shelf(reports), retriever, tables, make_chat_model(settings))

    # the default report's parts, for callers that ask one report
    @property
    def report(self) -> Report:
        return self.default.report

    @property
    def retriever(self):
        return self.default.retriever

    @property
    def figures(self) -> FigureAnswerer | None:
        return self.default.figures

    @property
    def reader(self) -> QueryReader:
        return self.default.reader

    @property
    def fit(self) -> Fit:
        return self.default.fit

    def for_report(self, report: Report | str) -> ReportEngine:
        """The engine of one report (by Report or symbol), built on first use."""
        if isinstance(report, str):
            report = self.shelf.chosen(report)
        engine = self._engines.get(report.symbol)
        if engine is None:
            with speaking_of(own_names(report)):
                figures = FigureAnswerer.over(self.tables, report)
                retriever = self.retriever_all.scoped(report.symbol)
                meaning = None
                if figures is not None:
                    embeddings, cache = retriever.embeddings, self.settings.cache_dir
                    vectors = name_vectors(figures.entities, embeddings, cache)
                    meaning = NameMeaning(figures.entities, vectors)
                engine = ReportEngine(
                    self.settings, report, retriever, figures, self.chat_model, meaning
                )
            self._engines[report.symbol] = engine
        return engine

    def conversation(self, report: str | None = None) -> Conversation:
        return Conversation(self, report=report)

    def ask(self, question: str, language: str | None = None, report: str | None = None) -> Answer:
        """Answer one question on its own, with no conversation context."""
        return self.answer_turn(question, language, [], report).answer

    def other_edition(self, unit_id: str, language: str) -> str:
        """The text of a unit in another edition, in whichever report holds it."""
        for engine in self._engines.values():  # the default report's first
            text = engine.other_edition(unit_id, language)
            if text:
                return text
        return ""

    def answer_turn(
        self, question: str, language: str | None, history: list[Turn], report: str | None = None
    ) -> Turn:
        """One turn, answered within the report it is about (or across two, when asked)."""
        base = self.for_report(report) if report else self._conversation_report(history)
        named = self.shelf.named_by(question)  # "…at WHO?": that organisation's reports
        if named and base.report not in named:
            base = self.for_report(self.shelf.covering(named, years_in(question)))
        reference = read_reference(question, self.shelf.symbols)
        if not reference:
            turn = self._within(base, question, language, history)
            chosen = report or self.settings.report or named
            if turn.answer.status != NOT_IN_REPORT or chosen or history:
                return turn
            return self._earlier(base, question, language) or turn
        try:
            other = self.for_report(self.shelf.resolve(reference, base.report))
        except UnknownReport as exc:
            return base.unknown_report(question, language, exc)
        if other is base:  # "this report", or the one already asked: nothing changes
            return self._within(base, question, language, history)
        if reference.compares:
            older, newer = sorted((other, base), key=lambda e: (e.report.date, e.report.symbol))
            return compare_reports(older, newer, reference.without(question), language)
        return self._within(other, reference.without(question), language, history)

    def _earlier(self, base: ReportEngine, question: str, language: str | None) -> Turn | None:
        """When the newest report does not cover a question that names no report, the
        newest other report of the same organisation that does, its answer saying so."""
        for report in self.shelf.same_organisation(base.report):
            turn = self.for_report(report).answer_turn(question, language, [])
            if turn.answer.status == ANSWERED:
                said = replies.answered_elsewhere(turn.answer.language, base.report, report)
                return replace(
                    turn, answer=replace(turn.answer, answer=f"{said}{turn.answer.answer}")
                )
        return None

    def _conversation_report(self, history: list[Turn]) -> ReportEngine:
        last = next((t.report for t in reversed(history) if t.report), "")
        return self.for_report(last) if last else self.default

    def _within(
        self, engine: ReportEngine, question: str, language: str | None, history: list[Turn]
    ) -> Turn:
        same = [t for t in history if t.report in ("", engine.report.symbol)]
        return engine.answer_turn(question, language, same)


class ReportEngine:
    """Loads the report, its tables and the index once; answers many questions."""

    def __init__(
        self,
        settings: Settings,
        report: Report,
        retriever,
        figures=None,
        chat_model=None,
        meaning: NameMeaning | None = None,
    ) -> None:
        self.settings = settings
        self.report = report
        self.own = own_names(report)  # stop words while this report answers
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
            meaning,
        )
        # reading order, for a list announced at the end of one unit and given in the next
        first = next(iter(report.editions.values()))
        self._following = dict(pairwise(u.id for u in first.units if u.kind != HEADING))
        self.chain = (
            RunnableLambda(self._parse)
            | RunnableLambda(self._answer_about_document)
            | RunnableLambda(self._answer_from_tables)
            | RunnableLambda(self._answer_from_text)
        )

    def ask(self, question: str, language: str | None = None) -> Answer:
        """Answer one question on its own, with no conversation context."""
        return self.answer_turn(question, language, []).answer

    def other_edition(self, unit_id: str, language: str) -> str:
        """The text of a unit in another edition ('' if that edition lacks it)."""
        edition = self.report.editions.get(language)
        unit = edition.by_id().get(unit_id) if edition else None
        return unit.text if unit else ""

    def answer_turn(self, question: str, language: str | None, history: list[Turn]) -> Turn:
        """One turn of a conversation about this report."""
        with speaking_of(self.own):
            return self._answer_turn(question, language, history)

    def _answer_turn(self, question: str, language: str | None, history: list[Turn]) -> Turn:
        started = time.perf_counter()
        step: Step = self.chain.invoke(Step(question, tuple(history), language))
        answer = step.answer
        if answer.status == NOT_IN_REPORT and answer.language not in self.report.editions:
            # no edition in the question's language: say so, and which editions there are
            answer = replace(answer, answer=replies.missing_edition(answer.language, self.report))
        answer = replace(
            within_report(answer, self.report),
            timing_ms=(time.perf_counter() - started) * 1000,
            explanation=self._explanation(step),
        )
        return Turn(step.resolved or question, answer, step.reading, self.report.symbol)

    def figure_turn(self, question: str, language: str | None) -> Turn | None:
        """The turn that answers ``question`` as a lookup from this report's tables, or
        None when its tables do not answer it (the measure guard decides as for any)."""
        with speaking_of(self.own):
            return self._figure_turn(question, language)

    def _figure_turn(self, question: str, language: str | None) -> Turn | None:
        step = self._parse(Step(question, (), language))
        if step.answer is not None or step.query is None:
            return None
        step = replace(step, query=replace(step.query, operation="lookup"))
        step = self._answer_from_tables(step)
        if step.answer is None:
            return None
        answer = within_report(step.answer, self.report)
        return Turn(step.resolved or question, answer, step.reading, self.report.symbol)

    def unknown_report(self, question: str, language: str | None, problem: UnknownReport) -> Turn:
        """A question about a report the corpus lacks: say so, and which reports it has."""
        clean = clean_question(question, self.settings.max_question_chars, language)
        answer = Answer(
            question=clean.text or question[:500],
            language=clean.language,
            status=NOT_IN_REPORT,
            answer=replies.no_such_report(clean.language, problem),
        )
        return Turn(question, answer, None, "")

    def _explanation(self, step: Step) -> dict:
        reading = step.reading
        return {
            "query": step.query.as_json() if step.query else None,
            "reading": asdict(reading) if reading is not None else None,
            "why": list(step.why),
        }

    # --- the chain's stages: each takes a Step and returns one ------------------------------

    def _parse(self, step: Step) -> Step:
        clean = clean_question(step.raw, self.settings.max_question_chars, step.language)
        if clean.problem:
            answer = Answer(
                question=step.raw[:500],
                language=clean.language,
                status=INVALID_INPUT,
                answer=clean.problem[clean.language],
            )
            return step.noting("invalid input", language=clean.language, answer=answer)
        query = self.reader.parse(clean.text, clean.language, list(step.history))
        resolved = resolve(query.text, list(step.history))
        return replace(step, language=clean.language, clean=clean, query=query, resolved=resolved)

    def _answer_about_document(self, step: Step) -> Step:
        if step.answer is not None:
            return step
        answer = answer_about_document(step.resolved, step.language, self.report)
        if answer is None:
            return step
        other = self.other_edition(answer.citations[0].unit_id, _other(step.language))
        citation = replace(answer.citations[0], other_language_quote=other)
        answer = replace(answer, question=step.clean.text, citations=(citation,))
        return step.noting("about the document itself: its cover header", answer=answer)

    def _answer_from_tables(self, step: Step) -> Step:
        if step.answer is not None or self.figures is None:
            return step
        query, history = step.query, list(step.history)
        text = query.text
        if query.threshold:
            return step.noting("tables: asks for the bar figures cleared, read in the text")
        if self._unknown_names(query):
            return step.noting("tables: names something the report never names")
        # the figures path reads the question with the whole conversation, and the table
        # rows the retriever finds for it (read with the context of a follow-up)
        row_hits = self.retriever.search(
            step.resolved, k=RETRIEVED_ROWS, language=step.language, kinds={TABLE_ROW}
        )
        retrieved = [(h.table, h.row) for h in row_hits if h.table and h.row]
        # where its words name no measure or row, what its meaning points to (the vector
        # the search above made), proposed for the checks below to accept or not
        meant = self.reader.with_meaning(query, self.retriever.query_vector(step.resolved))
        if meant is not query:
            query = meant
            step = step.noting("tables: names proposed by meaning", query=query)
        # a follow-up to a text answer ("它现在在多少个国家使用？") is read with the names
        # of the question it follows (a programme it named)
        follow_up = query.follow_up
        earlier_figures = any(t.intent for t in history)
        subject = named_in(history[-1].question) if follow_up else ""
        if subject and not earlier_figures:
            carried = self.reader.parse(f"{text} {subject}", query.language, history)
            query = replace(carried, asked=query.asked)
        result = self.figures.answer(query, history, retrieved)
        if result is None:
            step = step.noting("tables: no table reading answers the query")
        elif not self.fit.speaks_of_years(text, result[0]):
            step, result = step.noting("tables: the figures speak of other years"), None
        elif not self.fit.measures_what_is_asked(query, result):
            step, result = step.noting("tables: a rate does not answer 'how many'"), None
        elif not follow_up and self.fit.unexplained(text, result) > UNEXPLAINED:
            # the cells found leave the question's main words unaccounted for
            step, result = step.noting("tables: the cells leave the question's words out"), None
        crossing = self.figures.crossed(query) if not follow_up and query.asks_figure else []
        if crossing and (result is None or self.fit.leaves_out(text, result, crossing)):
            # "how many of the African candidates were women": no table holds both
            return step.noting("tables: crosses breakdowns no table holds", refusal="breakdown")
        if result is None:
            return step
        answer, reading = result
        answer = replace(answer, question=step.clean.text)
        return step.noting("tables: the reading fits the query", answer=answer, reading=reading)

    def _unknown_names(self, query: Query) -> list[str]:
        """Names the question uses that neither the report nor the tables' names know
        (India, WHO); a name a table goes by (one of its aliases) is known."""
        named = " ".join(
            n.text for m in query.mentions if m.score >= GOOD_NAME for n in m.entity.names
        )
        # the question's names are compared as words ("LAC", "Asia-Pacific" → lac, asiapacif)
        words = set(tokens(named))
        return [
            w for w in unknown_names(query.text, self.vocab) if w not in named and w not in words
        ]

    def _refuse(self, step: Step, reason: str, hits: list[Hit]) -> Step:
        answer = Answer(
            question=step.clean.text,
            language=step.language,
            status=NOT_IN_REPORT,
            answer=replies.not_in_report(step.language, reason, hits, self.report),
        )
        return step.noting(f"refused: {reason}", answer=answer, refusal=reason)

    def _next_unit(self, hit: Hit) -> Hit | None:
        """The unit that follows ``hit`` in reading order (headings skipped)."""
        following = self._following.get(hit.unit_id)
        return self.retriever.hit(following, hit.score, hit.language) if following else None

    def _answer_from_text(self, step: Step) -> Step:
        if step.answer is not None:
            return step
        question, language, query = step.resolved, step.language, step.query
        hits: list[Hit] = self.retriever.search(
            question, k=RETRIEVE_K, language=language, kinds=TEXT_KINDS
        )
        passages = best_excerpts(question, hits, self.vocab)
        passages = complete_list(passages, language, self._next_unit)
        asked = query.text
        covered = str(self.report.metadata.get("year_covered", ""))
        refusal = step.refusal or out_of_scope(
            question, language, passages, self.vocab, query.asks_figure, asked, covered
        )
        if refusal is not None:
            return self._refuse(step, refusal, hits)
        lead = passages[0] if passages else None
        parts = numbered_parts(asked, hits, self.report.edition(language).units, lead)
        if parts:
            text, citations = compose_parts(parts, language)  # "the three pillars of the GDAP"
        else:
            text, citations = compose(passages, language)
            amount = COUNT_CUE.search(asked) or QUANTITY.search(asked) or query.asks_rate
            if amount and not self.fit.counts_what_is_asked(query, citations):
                # "how many consultants…?": the passage that comes closest gives no number,
                # so the report does not give it
                return self._refuse(step, "no_figure", hits)
        citations = [
            replace(c, other_language_quote=self.other_edition(c.unit_id, _other(language)))
            for c in citations
        ]
        answer = Answer(
            question=step.clean.text,
            language=language,
            status=ANSWERED,
            answer=text,
            citations=tuple(citations),
            notes=replies.edition_notes(self.report, language),
        )
        if self.chat_model is not None and not step.clean.injection:
            answer = rephrase(self.chat_model, answer)
        return step.noting("text: quoted the passages that hold the question", answer=answer)


def within_report(answer: Answer, report: Report) -> Answer:
    """The answer with the report it comes from on it and on each of its citations."""
    year = report_year(report)
    citations = tuple(
        replace(c, report=c.report or report.symbol, report_year=c.report_year or year)
        for c in answer.citations
    )
    return replace(answer, citations=citations, report=report.symbol, report_year=year)


def _other(language: str) -> str:
    return "en" if language == "zh" else "zh"
