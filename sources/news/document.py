"""Cut an article into paragraphs, sentences and clauses, and read the header of corpus-style text files."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

_HEADER_LINE = re.compile(r"(URL|TITLE|DATE|PUBLISHED): ?(.*)")
_BOUNDARY = re.compile(r"[.!?…]+[\"”’)\]]*(?=\s+[\"“(\[]?[\d\w])|\.(?=[^\W\d_])|\n+")
# A list item's line: '- Thu ngân sách: …', '+ …', '• …', '1. …', 'a) …'.
_LIST_ITEM = re.compile(r"[ \t]*(?:[-+•*·–—]|\d{1,2}[.)]|[a-zđ]\))[ \t]")
# Tokens that end with a full stop without ending a sentence: 'TP. Hồ Chí Minh', 'ThS. Nguyễn'.
_ABBREVIATIONS = frozenset(
    {"tp", "q", "p", "tx", "h", "tt", "ths", "ts", "gs", "pgs", "bs", "ks", "st", "ng", "th", "tr"}
)


@dataclass(frozen=True)
class Scan:
    """A text with its sentences lower-cased once, so that a pattern only runs where its keywords occur.

    Python's regex engine is fast only for patterns that open with a literal; KPI patterns open with
    optional words or a number, so a keyword test per sentence saves most of the matching.
    """

    text: str
    spans: tuple[tuple[int, int], ...]
    whole: str  # the sentences lower-cased, spaces collapsed, one per line
    starts: tuple[int, ...]  # where each sentence begins in `whole`
    _where: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, text: str, sentences: list[Sentence] | None = None) -> Scan:
        """Prepare a text, by sentence when they are known, else as one span."""
        spans = tuple((s.start, s.end) for s in sentences) if sentences is not None else ((0, len(text)),)
        lowered = [" ".join(text[start:end].lower().split()) for start, end in spans]
        starts, position = [], 0
        for sentence in lowered:
            starts.append(position)
            position += len(sentence) + 1
        return cls(text, spans, "\n".join(lowered), tuple(starts))

    def finditer(self, pattern: re.Pattern, keywords: tuple[str, ...]):
        """Yield the pattern's matches in the sentences holding one of the (lower-case) keywords."""
        if keywords not in self._where:
            self._where[keywords] = sorted(set().union(*(self._sentences_with(keyword) for keyword in keywords)))
        for index in self._where[keywords]:
            yield from pattern.finditer(self.text, *self.spans[index])

    def _sentences_with(self, keyword: str) -> set[int]:
        if not keyword:
            return set(range(len(self.spans)))
        found, position = set(), self.whole.find(keyword)
        while position >= 0:
            index = bisect_right(self.starts, position) - 1
            found.add(index)
            following = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.whole)
            position = self.whole.find(keyword, following)
        return found


@dataclass(frozen=True)
class Sentence:
    """A sentence's span, its paragraph number and its clauses (split at semicolons); for a list item, the span of
    the line that opened the list ('Các chỉ tiêu chủ yếu năm 2025:'), which says what the items are."""

    start: int
    end: int
    paragraph: int
    clauses: tuple[tuple[int, int], ...]
    list_lead: tuple[int, int] | None = None


def at_word_start(text: str, index: int) -> bool:
    """Tell whether a word can start at an index: 'thu' in 'tổng thu', not in 'thuthu'.

    Checked in Python after matching: a leading look-behind would stop the regex engine from skipping
    ahead to a pattern's first letters, which makes matching several times slower.
    """
    return index == 0 or not text[index - 1].isalpha()


def split_header(text: str) -> tuple[dict[str, str], str]:
    """Split 'URL: …' / 'TITLE: …' header lines and the blank line after them from the body; plain text passes.

    'URL: https://x.vn/a\\nTITLE: Quận …\\n\\nThu …' -> ({'url': 'https://x.vn/a', 'title': 'Quận …'}, 'Thu …')
    """
    header: dict[str, str] = {}
    lines = text.split("\n")
    index = 0
    while index < len(lines) and (match := _HEADER_LINE.fullmatch(lines[index].rstrip("\r"))):
        header[match.group(1).lower()] = match.group(2).strip()
        index += 1
    if not header or index < len(lines) and lines[index].strip():
        return {}, text
    return header, "\n".join(lines[index + 1:])


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences, knowing 'TP.' and '1.204,5' do not end one: 'Thu đạt 5 tỷ. Chi đạt 1 tỷ.' -> 2.

    A line ends a paragraph, except before the items of a list that a line ending with ':' opens: the items are
    sentences of that paragraph ('Kết quả 11 tháng:\n- Thu ngân sách: …\n- Chi ngân sách: …' is one paragraph).
    """
    sentences: list[Sentence] = []
    paragraph, start, lead = 0, 0, None
    for match in _BOUNDARY.finditer(text):
        if match.group()[0] == "." and not _ends_sentence(text, match.start()):
            continue
        end = match.start() if match.group()[0] == "\n" else match.end()
        _add(sentences, text, start, end, paragraph, lead)
        if "\n" in match.group():
            if lead is None and text[start:end].rstrip().endswith(":") and sentences:
                lead = (sentences[-1].start, sentences[-1].end)
            if _LIST_ITEM.match(text, match.end()) is None:
                lead = None
            paragraph += lead is None
        start = match.end()
    _add(sentences, text, start, len(text), paragraph, lead)
    return sentences


def _ends_sentence(text: str, dot: int) -> bool:
    word = re.search(r"[^\s(]*$", text[max(0, dot - 12):dot]).group()
    glued = dot + 1 < len(text) and not text[dot + 1].isspace()
    if glued:  # 'giao.Cùng': only a lower-case word glued to a capital ends a sentence
        return len(word) >= 2 and word[-2:].islower() and text[dot + 1].isupper()
    if word.isdigit() and _LIST_ITEM.fullmatch(text, text.rfind("\n", max(0, dot - 6), dot) + 1, dot + 2):
        return False  # '1. Thu ngân sách …': the number of a list item
    return word.lower() not in _ABBREVIATIONS and not (len(word) == 1 and word.isupper())


def _add(sentences: list[Sentence], text: str, start: int, end: int, paragraph: int,
         list_lead: tuple[int, int] | None) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return
    clauses, clause_start = [], start
    for semicolon in re.finditer(";", text[start:end]):
        clauses.append((clause_start, start + semicolon.start()))
        clause_start = start + semicolon.end()
    clauses.append((clause_start, end))
    sentences.append(Sentence(start, end, paragraph, tuple(clauses), list_lead))
