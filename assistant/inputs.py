"""Checking and cleaning a question before anything else sees it."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ingest.text import language_of

# What no entry point passes on: control characters other than tab and newline, lone
# surrogates (from undecodable bytes, or sent as such) and the two non-characters. XML (so
# Word) cannot store any of them, and a terminal or a JSON encoder may refuse them.
UNSAFE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# controls that separate words: Word's line break (vertical tab), form feed, the
# information separators and NEL become a space, so "How many<VT>women" stays one question
SEPARATORS = re.compile(r"[\x0b\x0c\x1c-\x1f\x85]")
LINE_END = re.compile(r"\r\n?")  # Windows and old Mac line ends

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u2060\ufeff]")  # they hide inside words
TAG = re.compile(r"<[^>]{0,200}>")
# markup and code that carry no question: script bodies, link targets, SQL fragments
NOISE = re.compile(
    r"<(script|style)\b.*?</\1\s*>|\[[^\]]{0,200}\]\((?:javascript|data):(?:[^()]|\([^()]*\))*\)|"
    r"\]\((?:javascript|https?|data):[^)]*\)|"
    r"(?:javascript|data):\S+|https?://\S+|"
    r"['\"]?\s*;\s*(?:drop|delete|insert|update|select|truncate)\b[^;]*;?\s*(?:--)?",
    re.IGNORECASE | re.DOTALL,
)
INJECTION = re.compile(
    r"ignore (all |any )?(the )?(previous|prior|above) (instructions|prompts?)|"
    r"disregard (all |the )?(previous|above)|system prompt|you are now|"
    r"忽略(之前|以上|前面)的?(所有)?(指令|指示|提示)|无视(之前|以上)",
    re.IGNORECASE,
)
# "请用中文回答：", "answer in English please": the language asked for, said in words
ANSWER_IN = {
    "zh": re.compile(
        r"(请)?(用|以)(中文|汉语|华语)(来)?(回答|作答|答复)[:：,，。]?\s*|"
        r"\b(please )?(answer|reply|respond) in chinese( please)?[:,.]?\s*",
        re.IGNORECASE,
    ),
    "en": re.compile(
        r"(请)?(用|以)(英文|英语)(来)?(回答|作答|答复)[:：,，。]?\s*|"
        r"\b(please )?(answer|reply|respond) in english( please)?[:,.]?\s*",
        re.IGNORECASE,
    ),
}


def clean_text(value: str | bytes | None) -> str:
    """Text any entry point may hand on: bytes decoded as UTF-8 (bad bytes become U+FFFD),
    line ends as newlines, separators as spaces, no other control character and no lone
    surrogate."""
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray):
        text = bytes(value).decode("utf-8", "replace")
    else:
        text = _undo_surrogate_escape(str(value))
    return UNSAFE.sub("", SEPARATORS.sub(" ", LINE_END.sub("\n", text)))


def clean_lines(data: bytes) -> list[str]:
    """The lines of a text file or stream, each cleaned (a UTF-8 byte order mark dropped)."""
    text = clean_text(data.removeprefix(b"\xef\xbb\xbf"))
    return text.split("\n")


def read_clean_text(path: Path) -> str:
    """A text file's content, cleaned as ``clean_text`` does: it never fails on its bytes."""
    return clean_text(path.read_bytes().removeprefix(b"\xef\xbb\xbf"))


def _undo_surrogate_escape(text: str) -> str:
    """Command-line arguments carry undecodable bytes as surrogates: decode them again."""
    if not re.search(r"[\ud800-\udfff]", text):
        return text
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that is not an escaped byte: dropped below
        return text
    return raw.decode("utf-8", "replace")


@dataclass(frozen=True)
class CleanQuestion:
    text: str  # what the engine works on: no tags, no control characters
    language: str
    injection: bool  # the question tries to give the assistant instructions
    problem: dict[str, str] | None = None  # why it cannot be answered, by language


def clean_question(
    raw: str | None, max_chars: int, forced_language: str | None = None
) -> CleanQuestion:
    """Normalise a question; say (in both languages) what is wrong with it, if anything."""
    raw = clean_text(raw)
    if len(raw) > max_chars:
        return CleanQuestion(
            raw[:200],
            forced_language or language_of(raw[:2000]),
            False,
            {
                "zh": f"问题过长（{len(raw):,}个字符）。请将问题缩短到{max_chars:,}个字符以内。",
                "en": f"That question is too long ({len(raw):,} characters). "
                f"Please keep it under {max_chars:,} characters.",
            },
        )
    text = unicodedata.normalize("NFKC", raw)
    text = CONTROL.sub(" ", INVISIBLE.sub("", html.unescape(text)))
    text = NOISE.sub(" ", text)
    text = TAG.sub(" ", text).replace("[", " ").replace("]", " ")
    text = re.sub(r"\s+", " ", text).strip()
    asked_in = None
    for code, pattern in ANSWER_IN.items():
        if pattern.search(text):
            asked_in, text = code, pattern.sub(" ", text).strip()
    language = forced_language or asked_in or language_of(text)
    if not re.search(r"[\w\u4e00-\u9fff]", text):
        return CleanQuestion(
            text,
            language,
            False,
            {
                "zh": "请输入一个关于报告的问题：一个数字、一段内容或一个名称，中英文均可。",
                "en": "Please type a question about the report: a figure, a passage or a "
                "name, in Chinese or English.",
            },
        )
    return CleanQuestion(text, language, bool(INJECTION.search(text)))
