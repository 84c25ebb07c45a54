"""Parse the text extracted from a report's PDF into units.

The parser knows what PDF extraction does to text (page numbers, the running title
printed down the margin, line wraps, paragraphs split by a page break, numbers split
by stray spaces). What is particular to one report -- its cover notes, its chapters
and sections, which blocks are case studies or staff quotes -- is data, in the
report's ``layout.yaml`` (see ``Layout``), so a new report needs no code change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

from ingest.errors import CorpusError
from ingest.model import (
    COVER_HEADER,
    COVER_NOTE,
    HEADING,
    PANEL,
    PARAGRAPH,
    Unit,
)
from ingest.text import join_lines

# How a report numbers its paragraphs, most particular first: "1.<TAB>", "1<TAB>",
# "1. ", "1) ". A report uses the first style that numbers a paragraph 1.
BODY_PARAGRAPH = re.compile(r"^\s*(\d{1,3})\.\t\s*(.*)$")
NUMBERING_STYLES = (
    BODY_PARAGRAPH,
    re.compile(r"^\s*(\d{1,3})\t\s*(\S.*)$"),
    re.compile(r"^\s*(\d{1,3})\.[ \u00a0]+(\S.*)$"),
    re.compile(r"^\s*(\d{1,3})\)[ \t\u00a0]+(\S.*)$"),
)
NOTE_PARAGRAPH = re.compile(r"^\s*(\d{1,2})\.\s+(\S.*)$")
PAGE_NUMBER = re.compile(r"^(\s*)\d{1,3}\ufffd[ \t]*")
CHAPTER_MARK = re.compile(r"^第[一二三四五六七八九十]+章$")
# A paragraph whose last line ends in one of these is complete; one that does not,
# and is followed by a blank line, was split by a page break.
TERMINATORS = tuple("。！？!?；;：:”」）)….")
HEADING_MAX_CHARS = 100
PANEL_MAX_CHARS = 600


@dataclass(frozen=True)
class Anchor:
    """Where something starts: a body paragraph number, or a block's opening text."""

    paragraph: int | None = None
    text: str | None = None

    def matches_block(self, block_text: str) -> bool:
        return self.text is not None and squash(block_text).startswith(squash(self.text))


@dataclass(frozen=True)
class Section:
    start: Anchor
    path: tuple[dict[str, str], ...]  # each level's title by language


@dataclass(frozen=True)
class Span:
    """A run of blocks that forms one unit: a case study, a staff quote, a table..."""

    kind: str
    start: str
    end: str
    title: dict[str, str]
    id: str | None = None
    end_exact: bool = False  # the end block is exactly `end`, not merely opening with it

    def ends_at(self, block_text: str) -> bool:
        if self.end_exact:
            return squash(block_text) == squash(self.end)
        return Anchor(text=self.end).matches_block(block_text)


@dataclass(frozen=True)
class CoverNote:
    id: str
    start: str  # opening text of the note's first line
    title: dict[str, str]


@dataclass(frozen=True)
class Layout:
    """Where a report's parts are; every part is optional (a plain numbered report needs none)."""

    running_title: str = ""
    cover_notes: tuple[CoverNote, ...] = ()
    sections: tuple[Section, ...] = ()
    spans: tuple[Span, ...] = ()

    @classmethod
    def from_dict(cls, data: dict) -> Layout:
        try:
            return cls(
                running_title=data.get("running_title") or "",
                cover_notes=tuple(CoverNote(**c) for c in data.get("cover_notes") or []),
                sections=tuple(
                    Section(Anchor(**s["start"]), tuple(s["path"]))
                    for s in data.get("sections") or []
                ),
                spans=tuple(Span(**s) for s in data.get("spans") or []),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise CorpusError(
                f"layout.yaml is malformed ({exc}); corpus/README.md describes its fields."
            ) from exc


@dataclass
class _Item:
    """A numbered paragraph or a block of other text, in file order."""

    lines: list[str]
    number: int | None = None
    blank_after: bool = False
    unit_kind: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return join_lines(self.lines)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def parse_units(raw: str, layout: Layout, symbol: str, slug: str, language: str) -> list[Unit]:
    """Turn an extracted text into units, cover notes first, then the body in order."""
    lines = remove_furniture(raw.splitlines(), layout.running_title)
    numbered, body_start = numbering_style(lines, layout)
    make = _UnitMaker(symbol, slug, language)
    if layout.cover_notes:
        parse_cover_notes(lines[:body_start], layout, make)
    else:
        parse_front_matter(lines[:body_start], make)
    parse_body(lines[body_start:], layout, make, numbered)
    return make.units


def numbering_style(lines: list[str], layout: Layout) -> tuple[re.Pattern[str], int]:
    """The report's paragraph numbering and the line of its paragraph 1.

    The body starts at the first paragraph 1 after the last cover note's start, so the
    numbered paragraphs of a cover note are not taken for the report's.
    """
    after = 0
    for note in layout.cover_notes:
        after = max(after, _first_line_starting(lines, note.start, after) or after)
    for style in NUMBERING_STYLES:
        start = next(
            (
                i
                for i, line in enumerate(lines)
                if i >= after and (m := style.match(line)) and m[1] == "1"
            ),
            None,
        )
        if start is not None:
            return style, start
    raise CorpusError(
        "No report paragraph 1 found (numbered '1.', '1)' or '1' and a tab at the start of "
        "a line): is this the text of a numbered report? See corpus/README.md."
    )


def _first_line_starting(lines: list[str], opening: str, start: int = 0) -> int | None:
    return next(
        (i for i in range(start, len(lines)) if squash(lines[i]).startswith(squash(opening))),
        None,
    )


def parse_front_matter(lines: list[str], make: _UnitMaker) -> None:
    """Lines before paragraph 1 (symbol, date, meeting, title) are the cover header, one a line."""
    kept = [line.strip() for line in lines if line.strip()]
    if kept:
        make.add(COVER_HEADER, "\n".join(kept), "header", (), title=make.symbol)


def remove_furniture(lines: list[str], running_title: str) -> list[str]:
    """Drop page numbers and the running title printed a character or two per line."""
    # keep the leading space: in this extraction it marks the first line of a page
    lines = [PAGE_NUMBER.sub(r"\1", line) for line in lines]
    if not running_title:
        return lines
    out: list[str] = []
    i = 0
    while i < len(lines):
        end = _running_title_end(lines, i, squash(running_title))
        if end is None:
            out.append(lines[i])
            i += 1
        else:
            i = end
    return out


def _running_title_end(lines: list[str], i: int, title: str) -> int | None:
    """If the running title starts at line i, the index just after it; else None."""
    seen = ""
    j = i
    while j < len(lines) and len(seen) < len(title):
        piece = squash(lines[j])
        if piece and not title.startswith(seen + piece):
            return None
        if not piece and not seen:
            return None
        seen += piece
        j += 1
        if piece and len(piece) > 3:  # the margin title comes one or two characters a line
            return None
    return j if seen == title else None


def parse_cover_notes(lines: list[str], layout: Layout, make: _UnitMaker) -> None:
    starts = []
    for note in layout.cover_notes:
        idx = _first_line_starting(lines, note.start)
        if idx is None:
            raise CorpusError(f"Cover note '{note.id}' start '{note.start}' not found in the text.")
        starts.append(idx)
    bounds = [*starts[1:], len(lines)][: len(starts)]
    for note, start, end in zip(layout.cover_notes, starts, bounds, strict=True):
        section = (note.title.get(make.language) or note.title.get("en", note.id),)
        header: list[str] = []
        trailer: list[str] = []
        for item in split_items(lines[start:end], NOTE_PARAGRAPH):
            if item.number is not None:
                make.add(
                    COVER_NOTE,
                    item.text,
                    f"{note.id}-{item.number}",
                    section,
                    title=f"{section[0]} ¶{item.number}",
                )
            elif not any(u.id.startswith(f"{make.slug}:{note.id}-") for u in make.units):
                header.append(block_text(item))
            else:
                trailer.append(block_text(item))
        if header:
            make.add(
                COVER_HEADER,
                "\n".join(header),
                f"{note.id}-header",
                section,
                title=section[0],
                at=0,
            )
        if trailer:
            make.add(
                COVER_HEADER, "\n".join(trailer), f"{note.id}-notes", section, title=section[0]
            )


def parse_body(
    lines: list[str], layout: Layout, make: _UnitMaker, numbered: re.Pattern[str] = BODY_PARAGRAPH
) -> None:
    items = split_items(lines, numbered, in_sequence=numbered is not BODY_PARAGRAPH)
    first = layout.sections[0].path if layout.sections else ()
    section = tuple(t.get(make.language, t.get("en", "")) for t in first)
    pending_blocks: list[_Item] = []

    def flush_panel() -> None:
        if pending_blocks:
            for group in _group_panel_blocks(pending_blocks):
                text = "\n".join(block_text(b) for b in group)
                make.add(PANEL, text, None, section, title=_panel_title(text))
            pending_blocks.clear()

    i = 0
    while i < len(items):
        item = items[i]
        new_section = _section_starting_at(item, layout, make.language)
        if new_section is not None:
            flush_panel()
            section = new_section
            if item.number is None:  # a block that opens a section is its heading
                heading = block_text(item)
                make.add(HEADING, heading, None, section, title=heading)
                i += 1
                continue
        if item.number is not None:
            flush_panel()
            make.add(PARAGRAPH, item.text, f"p{item.number}", section, paragraph=item.number)
            i += 1
            continue
        span = next(
            (s for s in layout.spans if Anchor(text=s.start).matches_block(item.text)), None
        )
        if span is not None:
            flush_panel()
            j = next(
                (k for k in range(i, len(items)) if span.ends_at(items[k].text)),
                None,
            )
            if j is None:
                raise CorpusError(f"Span '{span.start}' has no end '{span.end}' in the text.")
            text = "\n".join(block_text(b) for b in items[i : j + 1])
            title = span.title.get(make.language) or span.title.get("en")
            make.add(span.kind, text, span.id, section, title=title)
            i = j + 1
            continue
        if is_heading(item.text, layout):
            flush_panel()
            make.add(HEADING, item.text, None, section, title=item.text)
        elif not layout.sections and is_plain_heading(item):
            # without a layout, a heading line opens a section of that name
            flush_panel()
            section = (item.text,)
            make.add(HEADING, item.text, None, section, title=item.text)
        else:
            pending_blocks.append(item)
        i += 1
    flush_panel()
    make.sort_paragraphs()


def split_items(
    lines: list[str], numbered: re.Pattern[str], in_sequence: bool = False
) -> list[_Item]:
    """Cut lines into numbered paragraphs and blocks of other text.

    A paragraph goes on across a blank line, or into a new page (a line that starts
    with a space), only when its last line is not the end of a sentence: the break
    was a page break in the middle of a sentence. With ``in_sequence`` (numbering
    like "1. " that a wrapped line can also start with), a number opens a paragraph
    only when it follows the last one (the next, or one after a gap of one).
    """
    items: list[_Item] = []
    current: _Item | None = None
    last = 0
    for line in lines:
        match = numbered.match(line)
        if match and in_sequence and not last < int(match[1]) <= last + 2:
            match = None
        if match:
            current = _Item([match[2]], number=int(match[1]))
            last = current.number or last
            items.append(current)
        elif not line.strip():
            if current is not None:
                if current.number is None:
                    current = None
                else:
                    current.blank_after = True
        elif current is None:
            current = _Item([line])
            items.append(current)
        elif current.number is not None and (current.blank_after or line.startswith(" ")):
            if current.lines[-1].rstrip().endswith(TERMINATORS):
                current = _Item([line])
                items.append(current)
            else:
                current.lines.append(line)
                current.blank_after = False
        elif line.startswith(" ") and current.number is None:
            current = _Item([line])  # a new page starts a new block
            items.append(current)
        else:
            current.lines.append(line)
    return [item for item in items if not _is_residue(item)]


def _is_residue(item: _Item) -> bool:
    """Step numbers of a graphic left one digit a line ("1" "2"), not values like "14"."""
    lines = [squash(line) for line in item.lines if line.strip()]
    return item.number is None and len(lines) >= 2 and all(re.fullmatch(r"\d", x) for x in lines)


def block_text(item: _Item) -> str:
    """A block's wrapped lines joined; blocks of a unit are kept one per line."""
    return join_lines(item.lines)


def is_heading(text: str, layout: Layout) -> bool:
    flat = squash(text)
    if CHAPTER_MARK.match(flat):
        return True
    titles = {_bare(t) for s in layout.sections for level in s.path for t in level.values()}
    # a chapter title is printed apart from its "第N章" mark, so a part of a title counts
    return _bare(flat) in titles or (len(flat) >= 4 and any(_bare(flat) in t for t in titles))


def is_plain_heading(item: _Item) -> bool:
    """One short line that is not a sentence: a heading of a report without a layout."""
    lines = [line for line in item.lines if line.strip()]
    text = item.text
    return (
        item.number is None
        and len(lines) == 1
        and len(text) <= HEADING_MAX_CHARS
        and not text.endswith(TERMINATORS)
        and not text.startswith("[")
        and any(c.isalpha() for c in text)
    )


def _bare(text: str) -> str:
    return re.sub(r"[\s：:，,、]", "", text)


def _section_starting_at(item: _Item, layout: Layout, language: str) -> tuple[str, ...] | None:
    for section in layout.sections:
        start = section.start
        hit = (start.paragraph is not None and start.paragraph == item.number) or (
            item.number is None and start.matches_block(item.text)
        )
        if hit:
            return tuple(t.get(language) or t.get("en", "") for t in section.path)
    return None


def _group_panel_blocks(blocks: list[_Item]) -> list[list[_Item]]:
    groups: list[list[_Item]] = [[]]
    size = 0
    for block in blocks:
        length = len(block_text(block))
        if groups[-1] and size + length > PANEL_MAX_CHARS:
            groups.append([])
            size = 0
        groups[-1].append(block)
        size += length
    return [g for g in groups if g]


def _panel_title(text: str) -> str:
    first = text.split("\n", 1)[0]
    return first if len(first) <= 40 else first[:39] + "…"


class _UnitMaker:
    """Numbers units in reading order and gives each a stable id."""

    ABBREV: ClassVar[dict[str, str]] = {PANEL: "panel", HEADING: "heading"}

    def __init__(self, symbol: str, slug: str, language: str) -> None:
        self.symbol, self.slug, self.language = symbol, slug, language
        self.units: list[Unit] = []
        self._counts: dict[str, int] = {}

    def add(
        self,
        kind: str,
        text: str,
        local_id: str | None,
        section: tuple[str, ...],
        *,
        paragraph: int | None = None,
        title: str | None = None,
        at: int | None = None,
    ) -> None:
        if local_id is None:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            local_id = f"{self.ABBREV.get(kind, kind.replace('_', '-'))}-{self._counts[kind]}"
        unit = Unit(
            id=f"{self.slug}:{local_id}",
            report=self.symbol,
            language=self.language,
            kind=kind,
            order=0,
            text=text,
            section=section,
            paragraph=paragraph,
            title=title,
        )
        if at is None:
            self.units.append(unit)
        else:
            # the header of a cover note goes before that note's paragraphs
            first = next(
                (k for k, u in enumerate(self.units) if u.section == section), len(self.units)
            )
            self.units.insert(first, unit)

    def sort_paragraphs(self) -> None:
        """Put numbered paragraphs in number order (the PDF swaps some), then renumber."""
        numbered = iter(sorted((u for u in self.units if u.paragraph is not None), key=_para))
        ordered = [next(numbered) if u.paragraph is not None else u for u in self.units]
        self.units = [_with_order(u, k) for k, u in enumerate(ordered)]


def _para(unit: Unit) -> int:
    return unit.paragraph or 0


def _with_order(unit: Unit, order: int) -> Unit:
    from dataclasses import replace

    return replace(unit, order=order)
