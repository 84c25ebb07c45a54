"""Questions about the document itself: its symbol, date, original language, session,
venue and author, answered by quoting the lines of its cover header.

A report's cover header (a ``cover_header`` unit) carries these facts as short lines
("WO/CC/86/INF/1", "ORIGINAL: English", "DATE: 21 May 2026", "Geneva, 7 to 15 July
2026"). A question that speaks of the document and asks for one of them is answered
with the line that holds it, quoted exactly, in the asker's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.language.terms import names, tokens
from assistant.model import ANSWERED, Answer, Citation
from ingest.model import COVER_HEADER, Report, Unit

# the question speaks of the document itself ("this report", "这份文件")
ABOUT_DOCUMENT = re.compile(
    r"\b(this|the) (report|document|paper|note)\b|\bdocument\b|(这份|本|该|此)(报告|文件)|文件",
    re.I,
)
# or of the meeting the document goes to (a body it is addressed to, meeting)
ABOUT_SESSION = re.compile(r"\bsession\b|届会议|届会", re.I)
MEETS = r".{0,30}(\bmeet|\bconvene|会议|举行|开会|召开)"


@dataclass(frozen=True)
class Fact:
    """One fact of a cover header: how a question asks for it, and how its line reads."""

    name: str
    asked: re.Pattern[str]
    line: re.Pattern[str]


FACTS = (
    Fact(
        "symbol",
        re.compile(r"\bsymbol\b|document (number|code|reference)|文号|文件编号|文件号|编号", re.I),
        # the report's own symbol (report.yaml) is matched first, see _gives; this is the
        # shape of any slash-separated document symbol ("A/65/350", "EB132/38 Rev.1")
        re.compile(r"^[A-Z][A-Z0-9.]*(/[A-Z0-9.]+)+(\s+(Rev|REV|Add|Corr)\.?\s*\d*)?$"),
    ),
    Fact(
        "original",
        re.compile(
            r"\boriginal(ly)?\b.*\blanguage\b|\blanguage\b.*\boriginal|原文|原始语言|什么语言|哪种语言",
            re.I,
        ),
        re.compile(r"^(ORIGINAL|原文)\s*[:：]", re.I),
    ),
    Fact(
        "date",
        re.compile(
            r"\b(dated?|issued|published|released)\b|什么时候(发布|印发|出)|哪天|日期|发布日期",
            re.I,
        ),
        re.compile(r"^(DATE|日期)\s*[:：]", re.I),
    ),
    Fact(
        "session",
        re.compile(ABOUT_SESSION.pattern + r"|\bmeet|\bconvene|会议|举行|开会|召开", re.I),
        re.compile(r"session|届会议", re.I),
    ),
    Fact(
        "venue",
        re.compile(r"\bwhere\b|\bvenue\b|\bwhich city\b|在哪里|哪里|地点|哪个城市|何地", re.I),
        # a place and dates on one line: "Geneva, 7 to 15 July 2026", "2026年7月7日至15日，日内瓦"
        re.compile(r"^(?!DATE|日期)(?=.*(19|20)\d\d).+[，,].+$", re.I),
    ),
    Fact(
        "author",
        re.compile(
            r"\bprepared\b|\bwho (wrote|drafted|authored|prepared)|\bauthor"
            r"|谁编写|谁编拟|谁起草|谁撰写|谁写|编写|编拟|起草",
            re.I,
        ),
        re.compile(r"prepared by|编拟|编写", re.I),
    ),
)


SYMBOL, VENUE = (next(f for f in FACTS if f.name == name) for name in ("symbol", "venue"))
DOCUMENT_WORDS = "Report Document"


def asked_facts(question: str, report: Report | None = None) -> list[Fact]:
    """The cover-header facts a question asks for, if it speaks of the document (and of
    nothing else the report names: "when was eMadrid released" is not about the document)."""
    vocabulary = report.vocabulary if report is not None else None
    bodies = [w for ws in vocabulary.bodies.values() for w in ws] if vocabulary else []
    own = [w for ws in vocabulary.organization.values() for w in ws] if vocabulary else []
    meeting = bool(ABOUT_SESSION.search(question)) or any(
        re.search(re.escape(body) + MEETS, question, re.I) for body in bodies
    )
    document_names = set(tokens(" ".join([DOCUMENT_WORDS, *bodies, *own])))
    if not meeting and (not ABOUT_DOCUMENT.search(question) or names(question) - document_names):
        return []
    facts = [fact for fact in FACTS if fact.asked.search(question)]
    if not meeting:
        facts = [fact for fact in facts if fact.name not in ("session", "venue")]
    return facts


def answer_about_document(question: str, language: str, report: Report) -> Answer | None:
    """The header lines that answer a question about the document, or None."""
    facts = asked_facts(question, report)
    if not facts:
        return None
    header = _header(report, language)
    if header is None:
        return None
    lines = [line.strip() for line in header.text.split("\n") if line.strip()]
    chosen: list[str] = []
    for fact in facts:
        chosen += [line for line in lines if _gives(fact, line, report) and line not in chosen][:1]
    if {fact.name for fact in facts} & {"session", "venue"}:
        # the session, its place and dates, and the symbol that numbers it go together
        for fact in (SYMBOL, VENUE):
            chosen += [line for line in lines if _gives(fact, line, report) and line not in chosen][
                :1
            ]
    if not chosen:
        return None
    chosen.sort(key=lines.index)
    quote = "\n".join(chosen)
    separator = "；" if language == "zh" else "; "
    ref = header.ref
    text = separator.join(chosen) + (f"（{ref}）" if language == "zh" else f" ({ref})")
    citation = Citation(
        ref=ref,
        paragraph=None,
        section=" · ".join(header.section),
        language=header.language,
        quote=quote,
        unit_id=header.id,
    )
    return Answer(
        question=question,
        language=language,
        status=ANSWERED,
        answer=text,
        citations=(citation,),
    )


def _gives(fact: Fact, line: str, report: Report) -> bool:
    """Whether a header line states the fact; the symbol is first the report's own."""
    if fact.name == "symbol" and line.replace(" ", "") == report.symbol.replace(" ", ""):
        return True
    return bool(fact.line.search(line))


def _header(report: Report, language: str) -> Unit | None:
    """The cover header of the note that presents the report (the first that names its symbol)."""
    edition = report.editions.get(language) or report.editions.get(report.default_language())
    if edition is None:
        return None
    headers = [u for u in edition.units if u.kind == COVER_HEADER]
    symbol = str(report.metadata.get("symbol", ""))
    return next(
        (u for u in headers if symbol and symbol in u.text), headers[0] if headers else None
    )
