"""Load the corpus: every report folder, with every edition it holds.

A report folder (``corpus/reports/<slug>/``) holds ``report.yaml`` (metadata), one
``source.<lang>.txt`` (the text extracted from the PDF, parsed into units), and optionally
``layout.yaml`` (where the parts of the extracted text are), any number of
``edition.<lang>.jsonl`` files (one JSON object per unit: ``{"id", "text", ...}``),
``tables/`` and ``vocabulary.yaml``. Adding an edition or a report is adding files; no
code changes. ``corpus/README.md`` describes every file with a worked example.

A folder that cannot be read is reported by name (a logged warning) and skipped; the
other reports still load.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import yaml

from ingest.errors import CorpusError
from ingest.model import Edition, Report, Unit, Vocabulary
from ingest.parse import Layout, parse_units
from ingest.yamlio import load_yaml

REPORTS_DIR = "reports"
LAYOUT_FILE = "layout.yaml"
VOCABULARY_FILE = "vocabulary.yaml"
log = logging.getLogger(__name__)
# what a broken report folder can raise while it is read; anything else is a bug
UNREADABLE = (CorpusError, OSError, ValueError, KeyError, TypeError, IndexError, AttributeError)


def load_corpus(root: Path) -> list[Report]:
    """Every readable report under ``root/reports``, in folder-name order.

    A folder that cannot be read is named in a warning and skipped.
    """
    folder = root / REPORTS_DIR
    if not folder.is_dir():
        raise CorpusError(
            f"No corpus at {folder}: set REPORT_ASSISTANT_CORPUS_DIR (or --corpus) "
            "to the corpus folder."
        )
    reports: list[Report] = []
    problems: list[str] = []
    for path in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            reports.append(load_report(path))
        except UNREADABLE as exc:
            problems.append(f"{path.name}: {exc}")
            log.warning("Skipped report folder '%s': %s", path.name, exc)
    if not reports:
        found = "; ".join(problems) if problems else "none found"
        raise CorpusError(
            f"No readable report folder under {folder} ({found}); "
            "corpus/README.md describes what a report folder holds."
        )
    return reports


@lru_cache(maxsize=8)
def load_report(folder: Path) -> Report:
    """One report and all its editions; the source edition is parsed, the others read."""
    meta = read_yaml(folder / "report.yaml")
    symbol, slug = meta.get("symbol"), meta.get("slug", folder.name)
    if not symbol:
        raise CorpusError(f"{folder / 'report.yaml'} has no 'symbol'; see corpus/README.md.")
    layout_file = folder / LAYOUT_FILE
    layout = Layout.from_dict(read_yaml(layout_file)) if layout_file.is_file() else Layout()
    edition_meta = meta.get("editions") or {}
    editions: dict[str, Edition] = {}
    sources = sorted(folder.glob("source.*.txt"))
    if len(sources) != 1:
        raise CorpusError(
            f"{folder} needs exactly one source.<lang>.txt (found {len(sources)}); "
            "see corpus/README.md."
        )
    source_lang = sources[0].name.split(".")[1]
    raw = sources[0].read_text(encoding="utf-8")
    units = parse_units(raw, layout, symbol, slug, source_lang)
    editions[source_lang] = _edition(source_lang, units, edition_meta, default_official=True)
    for path in sorted(folder.glob("edition.*.jsonl")):
        lang = path.name.split(".")[1]
        translated = read_edition(path, units, layout, lang)
        editions[lang] = _edition(lang, translated, edition_meta, default_official=False)
    vocabulary = read_vocabulary(folder, meta)
    return Report(symbol=symbol, slug=slug, metadata=meta, editions=editions, vocabulary=vocabulary)


def read_vocabulary(folder: Path, meta: dict) -> Vocabulary:
    """The report's own words: ``vocabulary.yaml`` (optional), plus the organization and
    committee that ``report.yaml`` names."""
    path = folder / VOCABULARY_FILE
    data = read_yaml(path) if path.is_file() else {}
    where = str(path)
    organization = _by_language(data.get("organization"), where, "organization")
    bodies = _by_language(data.get("bodies"), where, "bodies")
    for field_name, into in (("organization", organization), ("committee", bodies)):
        for lang, words in _by_language(meta.get(field_name), "report.yaml", field_name).items():
            into[lang] = tuple(dict.fromkeys([*into.get(lang, ()), *words]))
    ui = data.get("ui") or {}
    if not isinstance(ui, dict):
        raise CorpusError(f"{where}: 'ui' should map title and intro to texts by language.")
    return Vocabulary(
        organization=organization,
        bodies=bodies,
        names=_by_language(data.get("names"), where, "names"),
        example_questions=_by_language(data.get("example_questions"), where, "example_questions"),
        ui={part: _texts(texts, where, f"ui.{part}") for part, texts in ui.items()},
        prompt=_texts(data.get("prompt"), where, "prompt"),
        own_names=tuple(str(w) for w in data.get("own_names") or ()),
    )


def _by_language(value: object, where: str, name: str) -> dict[str, tuple[str, ...]]:
    """``{lang: [words]}`` or ``{lang: word}`` as ``{lang: (words,)}``."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise CorpusError(f"{where}: '{name}' should map a language code to a list of words.")
    out: dict[str, tuple[str, ...]] = {}
    for lang, words in value.items():
        items = [words] if isinstance(words, str) else words or []
        if not isinstance(items, list) or not all(isinstance(w, str) for w in items):
            raise CorpusError(f"{where}: '{name}.{lang}' should be a word or a list of words.")
        out[str(lang)] = tuple(w.strip() for w in items if w.strip())
    return out


def _texts(value: object, where: str, name: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(t, str) for t in value.values()):
        raise CorpusError(f"{where}: '{name}' should map a language code to a text.")
    return {str(lang): text for lang, text in value.items()}


def read_edition(path: Path, source_units: list[Unit], layout: Layout, language: str) -> list[Unit]:
    """An edition file gives the text of each source unit in another language."""
    texts: dict[str, dict] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            texts[row["id"]] = row
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise CorpusError(f"{path}:{n}: not a JSON object with an 'id' ({exc}).") from exc
    missing = [u.id for u in source_units if u.id not in texts]
    if missing:
        raise CorpusError(
            f"{path} lacks {len(missing)} unit(s), e.g. {', '.join(missing[:3])}: "
            "every unit of the source edition needs a text."
        )
    titles = section_titles(layout, language)
    return [
        replace(
            u,
            language=language,
            text=texts[u.id]["text"],
            title=texts[u.id].get("title") or _translate_title(u.title, titles),
            section=tuple(titles.get(s, s) for s in u.section),
        )
        for u in source_units
    ]


def section_titles(layout: Layout, language: str) -> dict[str, str]:
    """Map every section title, in any language, to its title in ``language``."""
    mapping: dict[str, str] = {}
    levels = [lvl for s in layout.sections for lvl in s.path]
    levels += [note.title for note in layout.cover_notes]
    levels += [span.title for span in layout.spans]
    for level in levels:
        target = level.get(language) or level.get("en")
        for text in level.values():
            mapping[text] = target
    return mapping


def _translate_title(title: str | None, titles: dict[str, str]) -> str | None:
    if title is None:
        return None
    if title in titles:
        return titles[title]
    head, sep, tail = title.rpartition(" ¶")  # "<cover note title> ¶1"
    return f"{titles.get(head, head)}{sep}{tail}" if sep else None


def _edition(lang: str, units: list[Unit], meta: dict, default_official: bool) -> Edition:
    """An edition and what report.yaml says of it: an edition file it does not declare
    official is not the report's own text; only a declared ``note`` says what it is."""
    info = meta.get(lang) or {}
    note = info.get("note") or {}
    return Edition(
        language=lang,
        units=tuple(units),
        official=bool(info.get("official", default_official)),
        note=note.get(lang) or note.get("en", "") if isinstance(note, dict) else str(note),
    )


def read_yaml(path: Path) -> dict:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CorpusError(f"Missing {path}.") from None
    except yaml.YAMLError as exc:
        raise CorpusError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise CorpusError(f"{path} should hold a mapping.")
    return data


def corpus_hash(root: Path) -> str:
    """A hash of every corpus file and of the code that reads them into units and rows,
    so an index knows what it was built from (a parser change means a rebuild)."""
    digest = hashlib.sha256()
    files = [(p.relative_to(root), p) for p in root.rglob("*") if p.is_file()]
    code = Path(__file__).resolve().parent
    files += [(Path("ingest") / p.name, p) for p in code.glob("*.py")]
    for name, path in sorted(files):
        digest.update(str(name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def select_report(reports: list[Report], name: str | None = None) -> Report:
    """The report named by symbol, slug or year, or else the newest by its date.

    A year names the report that covers it (``year_covered``), or failing that the one
    dated in it; a year several reports cover is refused, naming them. "Newest" reads each
    report's ``document_date`` (then its year covered), never folder names.
    """
    if not reports:
        raise CorpusError("The corpus holds no report; corpus/README.md says how to add one.")
    if name is None or not str(name).strip():
        return newest_report(reports)
    wanted = str(name).strip().casefold()
    for report in reports:
        if wanted in (report.symbol.casefold(), report.slug.casefold()):
            return report
    if re.fullmatch(r"(19|20)\d\d", wanted):
        covering = [r for r in reports if str(r.year_covered) == wanted]
        dated = [r for r in reports if r.date.startswith(wanted)]
        found = covering or dated
        if len(found) > 1:
            names = ", ".join(sorted(r.symbol for r in found))
            raise CorpusError(f"'{name}' names several reports ({names}): give a symbol.")
        if found:
            return found[0]
    known = ", ".join(f"{r.symbol} ({r.year_covered or r.date or 'undated'})" for r in reports)
    raise CorpusError(
        f"No report '{name}' in the corpus: give a symbol, a folder name or a year "
        f"(reports: {known})."
    )


def newest_report(reports: list[Report]) -> Report:
    """The report with the latest document date (then year covered); ties go to the symbol."""
    return max(reports, key=lambda r: (r.date, str(r.year_covered), r.symbol))


def find_unit(report: Report, ref: str, language: str) -> Unit:
    """A unit by paragraph number ("69", "¶69", "p69") or by id (with or without slug)."""
    edition = report.edition(language)
    key = ref.strip().lstrip("¶#").strip()
    if key.lower().startswith("p") and key[1:].isdigit():
        key = key[1:]
    if key.isdigit():
        unit = edition.paragraph(int(key))
        if unit is None:
            numbers = [u.paragraph for u in edition.units if u.paragraph is not None]
            raise CorpusError(
                f"The report has no paragraph {key} (paragraphs {min(numbers)}-{max(numbers)})."
            )
        return unit
    units = edition.by_id()
    unit = units.get(key) or units.get(f"{report.slug}:{key}")
    if unit is None:
        numbered = next((u for u in reversed(edition.units) if u.paragraph is not None), None)
        other = next((u for u in edition.units if u.paragraph is None), None)
        examples = [
            f"a paragraph number (e.g. {numbered.paragraph})" if numbered else "",
            f"a unit id (e.g. {other.id})" if other else "a unit id",
        ]
        raise CorpusError(
            f"No unit '{ref}': give {' or '.join(e for e in examples if e)}; "
            "'report-assistant units' lists them."
        )
    return unit
