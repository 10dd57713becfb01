"""Reading inspection letters (2016 framework) and reports (2023 framework): PDF text, sections, lists,
responsible bodies, and the extracted record of each document.

PDF text comes from pdfminer.six (chosen over pypdf: it keeps paragraph breaks, which separate the items of
the 2023 reports' recommendation lists; pypdf is about twice as fast but runs paragraphs together; see
benchmarks/bench_letters.py). Extracted text is cached by file hash, so re-reading is fast.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import config
from ..errors import DataError
from ..fileio import atomic_text

TEXT_CACHE_VERSION = "pdfminer-1"
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
BULLET = re.compile(r"^(\s*)([-■•▪●◦]|\u2022)\s+(.*)$")
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
FOOTER = re.compile(
    r"^((?:Area SEND )?[Ii]nspection report:.*|\d{1,2}(?:\s+(?:"
    + MONTHS
    + r"))?(?:\s+\d{4})?\s+to\s+\d{1,2}\s+(?:"
    + MONTHS
    + r")\s+\d{4}|\d{1,3})\s*$"
)


class LetterError(DataError):
    """A document that cannot be read or has no recognisable sections; names the file."""


@dataclass
class Letter:
    path: Path
    text: str  # cleaned text: page furniture removed, hyphenation joined
    framework: str  # "2016" (letter) or "2023" (report)
    sections: dict = field(default_factory=dict)  # heading -> text under it, in document order
    raw: str = ""  # the text as extracted (page footers included)


@dataclass
class Record:
    framework: str
    area: str | None  # None only until checked: a document without its area is a LetterError
    inspection_start: dt.date | None
    inspection_end: dt.date | None
    letter_date: dt.date | None
    wsoa_required: bool | None
    weaknesses: list
    outcome: str | None
    priority_actions: list
    improvements: list
    previous_inspection_start: dt.date | None = None
    previous_inspection_end: dt.date | None = None
    icb: str | None = None
    priority_bodies: list = field(default_factory=list)  # 2023: the "Responsible body" blocks, in order
    dates_from: str = "header"  # 2023: "header", or "page footer" when the header's dates are blank
    strengths: dict = field(default_factory=dict)  # 2016: section -> bullets
    areas_for_development: dict = field(default_factory=dict)  # 2016: section -> bullets
    source: str = ""


# --- reading -----------------------------------------------------------------------------------------------
def _cache_dir() -> Path:
    return config.interim_dir() / "text_cache"


def pdf_text(path: Path) -> str:
    """Text of a PDF (pdfminer.six), cached under data/interim/text_cache by the file's sha256."""
    data = path.read_bytes()
    if not data.startswith(b"%PDF"):
        raise LetterError(path, "not a PDF (no %PDF header)")
    key = hashlib.sha256(data + TEXT_CACHE_VERSION.encode()).hexdigest()
    cached = _cache_dir() / f"{key}.txt"
    if cached.exists():
        return cached.read_text(encoding="utf-8")
    from pdfminer.high_level import extract_text
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        text = extract_text(str(path))
    except (PDFEncryptionError, PDFPasswordIncorrect) as e:
        raise LetterError(path, f"encrypted PDF ({type(e).__name__})") from None
    except PDFSyntaxError as e:
        raise LetterError(path, f"malformed PDF ({e})") from None
    except Exception as e:  # pdfminer raises many types on damaged files
        raise LetterError(path, f"cannot read PDF ({type(e).__name__}: {e})") from None
    if not text.strip():
        raise LetterError(path, "PDF has no text layer (empty or scanned)")
    atomic_text(cached, text)
    return text


def clean(text: str) -> str:
    """Remove page furniture (running footers, page numbers, form feeds), join words hyphenated across
    lines, turn typographic quotes into plain ones, collapse runs of blank lines to one."""
    text = (
        text.replace("\f", "\n")
        .replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
    )
    lines = [ln.rstrip() for ln in text.splitlines()]
    lines = [
        "" if FOOTER.match(ln.strip()) and not ln.strip().startswith(("Inspection dates", "Dates of")) else ln
        for ln in lines
    ]
    out = "\n".join(lines)
    out = re.sub(r"(\w)-\n(?=[a-z])", r"\1", out)  # hyphenation across lines
    return re.sub(r"\n{3,}", "\n\n\n", out).strip() + "\n"


HEADINGS_2016 = [
    "Main findings",
    "The effectiveness of the local area in identifying children and"
    " young people's special educational needs and/or disabilities",
    "The effectiveness of the local area in meeting the needs of children and"
    " young people who have special educational needs and/or disabilities",
    "The effectiveness of the local area in improving outcomes for children"
    " and young people who have special educational needs and/or disabilities",
]
HEADINGS_2023 = [
    "Inspection outcome",
    "Information about the local area partnership",
    "What is it like to be a child or young person with SEND in this area?",
    "What is the area partnership doing that is effective?",
    "What does the area partnership need to do better?",
    "Areas for priority action",
    "Areas for improvement",
    "Local area partnership details",
]


def _sections(text: str, headings: list[str]) -> dict:
    """heading -> text up to the next known heading (first occurrence of each heading on a line of its own)."""
    norm = lambda s: re.sub(r"\s+", " ", s).strip().lower()
    lines = text.splitlines()
    marks: list = []
    for h in headings:
        for i, ln in enumerate(lines):
            if norm(ln) == norm(h) and all(i != m for _, m in marks):
                marks.append((h, i))
                break
    marks.sort(key=lambda m: m[1])
    return {
        h: "\n".join(lines[i + 1 : (marks[k + 1][1] if k + 1 < len(marks) else len(lines))])
        for k, (h, i) in enumerate(marks)
    }


def read(path) -> Letter:
    """A letter (.txt or .pdf) -> :class:`Letter` with cleaned text and sections. Raises LetterError naming
    the file when it is not a PDF, is empty or encrypted, or has no recognisable sections."""
    path = Path(path)
    if not path.is_file():
        raise LetterError(path, "file not found")
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise LetterError(
            path,
            f"{size:,} bytes is over the {MAX_DOCUMENT_BYTES:,}-byte limit for one letter or report "
            "(the bundled ones are under 1 MB)",
        )
    if path.suffix.lower() == ".pdf":
        raw = pdf_text(path)
    else:
        try:
            raw = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise LetterError(path, "not UTF-8 text") from None
    text = clean(raw)
    if re.search(r"Area SEND inspection of", text) and "Inspection outcome" in text:
        framework, heads = "2023", HEADINGS_2023
    elif re.search(r"Joint local area SEND inspection in", text):
        framework, heads = "2016", HEADINGS_2016
    else:
        raise LetterError(
            path,
            "no recognisable sections: neither a 2016-framework letter ('Joint local area SEND "
            "inspection in ...') nor a 2023-framework report ('Area SEND inspection of ...')",
        )
    return Letter(path=path, text=text, framework=framework, sections=_sections(text, heads), raw=raw)


# --- lists -------------------------------------------------------------------------------------------------
def _tidy(item: str) -> str:
    return re.sub(r"\s+", " ", item).strip().rstrip(";").strip()


def bullets(block: str) -> list[str]:
    """Bulleted items ("-", "■", "•") of a block: continuation lines and indented sub-bullets join their item;
    an item broken by a page break (the next 'bullet' starts in lower case or with a digit after blank lines,
    and the item had not ended) is rejoined."""
    items: list[str] = []
    blank = 0
    for ln in block.splitlines():
        if not ln.strip():
            blank += 1
            continue
        m = BULLET.match(ln)
        if m:
            indent, _, body = m.groups()
            unfinished = items and not items[-1].rstrip().endswith((".", ":", ";"))
            if items and (indent or (unfinished and blank >= 1 and (body[:1].islower() or body[:1].isdigit()))):
                items[-1] += ("; " if indent else " ") + body
            else:
                items.append(body)
        elif items:
            items[-1] += " " + ln.strip()
        blank = 0
    return [_tidy(i) for i in items if _tidy(i)]


OPENER = re.compile(r"^(?!(This|These|It|That|Such)\b)[A-Z][\w'’,()-]*(\s+[\w'’,()-]+){0,9}?\s+should\b")


def paragraphs(block: str) -> list[str]:
    """Recommendation items of a 2023 report list ("Areas for priority action" / "for improvement"). The
    layout is a table: a "Responsible body" column (repeated on every page) beside the items, which may hold
    "•" sub-bullets across blank lines. Responsible-body lines are dropped; an item starts where a line opens a
    recommendation ("Leaders across the partnership should ...") after the previous one ended a sentence."""
    lines = [ln.strip() for ln in block.splitlines()]
    if "Responsible body" in lines:
        inner = next((i for i, ln in enumerate(lines) if ln.lower().startswith("areas for")), len(lines))
        body_lines = {ln for ln in lines[:inner] if ln}
        lines = [ln for ln in lines[inner + 1 :] if ln not in body_lines]
    lines = [ln for ln in lines if not ln.lower().startswith("areas for")]
    items: list[str] = []
    cur: list[str] = []
    blank = True
    for i, ln in enumerate(lines):
        if not ln or ln.startswith("Inspection report:"):
            blank = True
            continue
        numbered = re.match(r"^\d{1,2}\.\s+(?=[A-Z])", ln)
        ln = ln[numbered.end() :] if numbered else ln
        ended = not cur or cur[-1].endswith((".", "?"))
        starts = ln[:1].isupper() and not ln.startswith("•")
        if numbered or (ended and starts and (blank or OPENER.match(" ".join(lines[i : i + 3])))):
            if cur:
                items.append(" ".join(cur))
            cur = [ln]
        elif cur:
            cur.append(ln)
        blank = False
    if cur:
        items.append(" ".join(cur))
    return [_tidy(re.sub(r"\s*•\s*", " • ", i)) for i in items]


# --- the responsible body of a 2023 recommendation --------------------------------------------------------
BODY_WORDS = re.compile(r"Council|Integrated Care|\bICB\b|\bNHS\b|Trust\b|Local Authority|Board\b", re.I)
ICB_WORDS = re.compile(
    r"Integrated Care Board|\bICBs?\b|\bNHS\b|\bhealth (?:leaders|partners|commissioners|services|providers)\b|"
    r"\bhealth\b(?= and (?:care|social care|education))|\bCCG|\b(?:leaders|partners) in health\b",
    re.I,
)
LA_WORDS = re.compile(
    r"\bCouncil\b|\blocal authority\b|\bLA\b|\bChildren's Trust\b|\b(?:education|social care|"
    r"council) leaders\b|\bleaders (?:in|within the) (?:education|SEND service|social care)\b",
    re.I,
)
BOTH_WORDS = re.compile(
    r"partnership|\bLAP\b|health, education and social care|\barea leaders\b|\blocal area\b|\bleaders across\b|"
    r"\ball partners\b|"
    r"education, health and (?:social )?care",
    re.I,
)
BODY_LEVELS = ("local_authority", "icb", "both", "other")
CELL_END = re.compile(
    r"(.+?(?:Integrated Care Board(?: \(ICB\))?|\bICB\b|\bTrust\b|\bCouncil\b|Children's First|\bcollege\b|"
    r"\bleaders\b))(?=\s+[A-Z]|\s*$)"
)


def body_blocks(block: str) -> list[str]:
    """The "Responsible body" cells of a 2023 priority-action table, in order (each as one line of text). The
    cells' lines are the short lines naming a council, ICB, NHS body or trust (the PDF text may give a page's
    cells one after another, or break one across an item); joined, they are split where a body's name ends and
    the next cell begins."""
    lines = [ln.strip() for ln in block.splitlines()]
    if "Responsible body" not in lines:
        return []
    runs, cur = [], []
    for ln in lines[lines.index("Responsible body") + 1 :]:
        short = ln and len(ln) <= 40 and not ln.endswith((".", ";", ":")) and not ln.startswith(("•", "-"))
        if short and not ln.lower().startswith("areas for"):
            cur.append(ln)
            continue
        if cur:
            runs.append(cur)
        cur = []
    if cur:
        runs.append(cur)
    text = " ".join(" ".join(run) for run in runs if BODY_WORDS.search(" ".join(run)) and not run[0][:1].islower())
    # a cell ends with the name of a body, where the next cell begins (a capital letter, not ', ' or 'and')
    return [c.strip() for c in CELL_END.findall(text)]


def classify_body(text: str) -> str:
    """local_authority, icb, both or other, from a responsible-body cell or a recommendation's own words (its
    subject: the words before 'should', 'must', 'need' or 'needs')."""
    if not text:
        return "other"
    head = re.split(r"\b(?:should|must|needs?|is required|are required)\b", text, maxsplit=1)[0]
    icb, la = bool(ICB_WORDS.search(head)), bool(LA_WORDS.search(head))
    if (icb and la) or BOTH_WORDS.search(head):
        return "both"
    return "icb" if icb else "local_authority" if la else "other"


COLUMN, COLUMN_ALL, TEXT = (
    "responsible body column",
    "responsible body column (every cell names the same bodies)",
    "recommendation text",
)


def responsible_bodies(record: Record) -> dict[str, list[tuple[str, str]]]:
    """(body, where it was read) for each priority action and area for improvement of a 2023 report. Priority
    actions take the table's "Responsible body" cells, paired in order when there are as many cells as items
    (or all cells' class when every cell names the same bodies); otherwise, and for improvements (which have no
    such column), the body is read from the recommendation's own subject ("Health leaders should ...")."""
    cells = [classify_body(b) for b in record.priority_bodies]
    pa = record.priority_actions
    if cells and len(cells) == len(pa):
        pa_bodies = [(c, COLUMN) for c in cells]
    elif cells and len(set(cells)) == 1:
        pa_bodies = [(cells[0], COLUMN_ALL)] * len(pa)
    else:
        pa_bodies = [(classify_body(i), TEXT) for i in pa]
    return {
        "priority action": pa_bodies,
        "improvement": [(classify_body(i), TEXT) for i in record.improvements],
    }


# --- extraction --------------------------------------------------------------------------------------------
def _date(day, month, year) -> dt.date | None:
    try:
        return dt.datetime.strptime(f"{int(day)} {month} {int(year)}", "%d %B %Y").date()
    except (TypeError, ValueError):
        return None


def _date_range(s: str):
    """'17 September 2018 and 21 September 2018', '11 to 15 March 2024', '27 February to 3 March 2023'."""
    m = re.search(
        rf"(\d{{1,2}})(?:\s+({MONTHS}))?(?:\s+(\d{{4}}))?\s+(?:to|and)\s+(\d{{1,2}})\s+({MONTHS})\s+(\d{{4}})", s
    )
    if not m:
        return None, None
    d1, m1, y1, d2, m2, y2 = m.groups()
    end = _date(d2, m2, y2)
    start = _date(d1, m1 or m2, y1 or y2)
    if start and end and start > end:  # e.g. 30 December to 3 January
        start = _date(d1, m1 or m2, int(y2) - 1)
    return start, end


ICB_NAME = r"((?:NHS )?[A-Z][\w'&\-]*(?:,? (?:[A-Z][\w'&\-]*|and|of|the|&))*?)"
ICB_TAIL = r"\s+(?:Integrated [Cc]are [Bb]oard|ICB)\b"  # noqa: E501
# where reports name the ICB, most specific first: an 'NHS ...' name; the partnership details table ("Integrated
# care board | <name> ICB"); "On 1 July 2022, <name> ICB became responsible"; "passed to the <name> ICB";
# "<council> and the <name> Integrated Care Board (ICB) are ... responsible"
ICB_PATTERNS = [
    re.compile(r"\b(NHS (?:[A-Z][\w'&\-]*|and|of|the|&)(?:,? (?:[A-Z][\w'&\-]*|and|of|the|&))*?)" + ICB_TAIL),
    re.compile(r"Integrated [Cc]are [Bb]oard\s+" + ICB_NAME + ICB_TAIL),
    re.compile(r"1 July 2022,? (?:the )?" + ICB_NAME + ICB_TAIL + r"(?: \(ICB\))? became"),
    re.compile(r"passed to (?:the )?" + ICB_NAME + ICB_TAIL),
    re.compile(r"Council and (?:the )?" + ICB_NAME + ICB_TAIL + r"(?: \(ICB\))? are"),
]


def _icb_name(s: str) -> str:
    """'NHS Dorset' or 'Dorset' -> 'NHS Dorset ICB' (one form whichever way the report names it)."""
    name = re.sub(r"\s+", " ", s).strip().replace(", and ", " and ")
    return ("" if name.startswith("NHS ") else "NHS ") + name + " ICB"


def find_icb(info: str, flat: str) -> str | None:
    """The ICB(s) a 2023 report names ('; '-separated when the area has two), ``info`` being its "Information
    about the local area partnership" section: every 'NHS ... ICB' named there, else the first of
    :data:`ICB_PATTERNS` that matches anywhere."""
    named = list(dict.fromkeys(_icb_name(m) for m in ICB_PATTERNS[0].findall(info) if _plausible(m)))
    full = [n for n in named if len(n) > len("NHS ABCD ICB")]  # 'NHS BSW ICB' repeats a name given in full
    if named:
        return "; ".join(full or named)
    for pat in ICB_PATTERNS:
        for m in pat.finditer(flat):
            if _plausible(m.group(1)):
                return _icb_name(m.group(1))
    return None


def _plausible(name: str) -> bool:
    """Not a person's title, a CCG or a sentence start caught by the name pattern."""
    return not re.search(r"Chief|Executive|\bCEO\b|Clinical Commissioning|\bCCG|^(?:The|Local|Integrated)\b", name)


def extract(letter: Letter) -> Record:
    """The structured record of a letter or report (see :class:`Record`). Fields the text does not give are
    None or empty; a document without its area or dates raises LetterError naming the file."""
    t = re.sub(r"[ \t]+", " ", letter.text)
    flat = re.sub(r"\s+", " ", t)
    if letter.framework == "2016":
        area = re.search(r"Joint local area SEND inspection in ([^\n]+)", t)
        between = re.search(r"Between ([^,]+)", flat)
        start, end = _date_range(between.group(1) if between else "")
        ld = re.search(rf"^\s*(\d{{1,2}}) ({MONTHS}) (\d{{4}})\s*$", t, re.M)
        wsoa = bool(
            re.search(
                r"Written Statement of Action is required|required to produce and submit a Written Statement", flat
            )
        )
        weak = []
        m = re.search(r"areas? of significant weakness:?\s*\n(.*?)(?:\n\s*Yours sincerely|\Z)", t, re.S)
        if wsoa and m:
            weak = bullets(m.group(1))
        strengths: dict[str, list[str]] = {}
        dev: dict[str, list[str]] = {}
        for h in HEADINGS_2016[1:]:
            body = letter.sections.get(h, "")
            parts = re.split(r"^\s*(Strengths|Areas for development|Areas for improvement)\s*$", body, flags=re.M)
            for label, block in zip(parts[1::2], parts[2::2]):
                block = block.split("The inspection raises significant concerns")[0]
                (strengths if label == "Strengths" else dev)[h] = bullets(block)
        rec = Record(
            "2016",
            area.group(1).strip() if area else None,
            start,
            end,
            _date(*ld.groups()) if ld else None,
            wsoa,
            weak,
            None,
            [],
            [],
            strengths=strengths,
            areas_for_development=dev,
            source=letter.path.name,
        )
    else:
        area = re.search(r"Area SEND inspection of (.+?) Local Area Partnership", flat, re.I)
        dates = re.search(r"Inspection dates?:?\s*(.{0,80}?)(?=Dates? of previous|Inspection outcome|$)", flat)
        start, end = _date_range(dates.group(1)) if dates else (None, None)
        prev = re.search(r"Dates? of previous inspection:?\s*(.{0,80}?)(?=Inspection outcome|$)", flat)
        pstart, pend = _date_range(prev.group(1)) if prev else (None, None)
        dates_from = "header"
        if start is None:  # some reports leave the header's date fields blank; every page footer has them
            foot = re.search(r"[Ii]nspection report:[^\n]*\n?[^\n]*", letter.raw)
            start, end = _date_range(re.sub(r"\s+", " ", foot.group(0))) if foot else (None, None)
            ranges = [
                _date_range(m)
                for m in re.findall(
                    rf"\d{{1,2}}(?: (?:{MONTHS}))?(?: \d{{4}})? to \d{{1,2}} (?:{MONTHS}) \d{{4}}",
                    re.sub(r"\s+", " ", letter.raw),
                )
            ]
            earlier = [r for r in ranges if r[1] and start and r[1] < start]
            if pstart is None and earlier:
                pstart, pend = earlier[0]
            dates_from = "page footer"
        head = re.sub(r"\s+", " ", letter.sections.get("Inspection outcome", flat[:3000])).lower()
        outcome = (
            "systemic_failings"
            if "widespread and/or systemic failings" in head
            else "inconsistent"
            if "inconsistent experiences and outcomes" in head
            else "positive"
            if "positive experiences and outcomes" in head
            else None
        )
        info = re.sub(r"\s+", " ", letter.sections.get("Information about the local area partnership", "")) or flat
        icb = find_icb(info, flat)
        rec = Record(
            "2023",
            re.sub(r"^the ", "", re.sub(r"-\s+", "-", area.group(1).strip())) if area else None,
            start,
            end,
            None,
            None,
            [],
            outcome,
            paragraphs(letter.sections.get("Areas for priority action", "")),
            paragraphs(letter.sections.get("Areas for improvement", "")),
            previous_inspection_start=pstart,
            previous_inspection_end=pend,
            icb=icb,
            priority_bodies=body_blocks(letter.sections.get("Areas for priority action", "")),
            dates_from=dates_from,
            source=letter.path.name,
        )
    missing = [f for f in ("area", "inspection_start", "inspection_end") if getattr(rec, f) is None]
    if missing:
        raise LetterError(letter.path, f"could not find {', '.join(missing)} in the text")
    return rec


def expand_paths(paths) -> list[Path]:
    """Files as given; a folder stands for its .pdf and .txt files (sorted, not recursive)."""
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in (".pdf", ".txt"))
        else:
            out.append(p)
    return out


def read_many(paths) -> tuple[list[Record], list[tuple[str, str]]]:
    """Read and extract every document (a folder: its PDFs and texts); a bad one is recorded (file,
    problem) and the batch goes on."""
    records, failures = [], []
    for p in expand_paths(paths):
        try:
            records.append(extract(read(p)))
        except LetterError as e:
            failures.append((str(p), str(e)))
    return records, failures
