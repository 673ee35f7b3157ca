"""Find the administrative units an article names and decide which one each figure belongs to."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from sources.gazetteer import Gazetteer, Unit
from sources.news.document import at_word_start
from sources.text import fold, lower_in_place

_UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_TYPE_WORDS = {
    "quận": "quận", "q.": "quận", "huyện": "huyện", "thị xã": "thị xã", "tx": "thị xã", "tx.": "thị xã",
    "thành phố": "thành phố", "tp": "thành phố", "tp.": "thành phố", "phường": "phường", "p.": "phường",
    "xã": "xã", "thị trấn": "thị trấn", "tỉnh": "tỉnh",
}
# Type words are found in the lower-cased text; what follows them (a capital, a number) in the text itself.
_TYPE_WORD = re.compile(
    r"(?P<type>tp\.|tx\.|q\.|p\.|(?:thị\s+xã|thị\s+trấn|thành\s+phố|quận|huyện|phường|xã|tỉnh|tp|tx)(?![^\W\d_]))"
    r"(?:\s+(?:ủy|uỷ)(?![^\W\d_]))?"
)
_AFTER_TYPE = re.compile(r"\s*(?=[\d" + _UPPER + r"])|(?=[\s,.;:)!?]|$)")
# Only urban districts and wards are numbered ('quận 5'); 'quận 7 tháng đầu năm' is the district's 7 months.
_NUMBER_NAME = re.compile(r"\d{1,2}(?![\d.,])(?!\s+(?:tháng|năm|ngày|quý|tuần)(?![^\W\d_]))")
_NUMBERED_TYPES = frozenset({"quận", "phường"})
_CAPITALISED_RUN = re.compile(rf"[{_UPPER}][^\W\d_]*(?:[ \t]+[{_UPPER}][^\W\d_]*){{0,3}}")
_CENTRAL_CITIES = {
    "ha noi": "Hà Nội", "ho chi minh": "TP.HCM", "hcm": "TP.HCM", "tphcm": "TP.HCM", "sai gon": "TP.HCM",
    "da nang": "Đà Nẵng", "hai phong": "Hải Phòng", "can tho": "Cần Thơ", "hue": "Huế",
}
_CITY_WORDS = re.compile(r"(?:Hà Nội|TP\.?\s?HCM|TPHCM|Đà Nẵng|Hải Phòng|Cần Thơ|(?i:cả\s+nước|toàn\s+quốc))(?![^\W\d_])")
_LEVEL_BY_TYPE = {
    "quận": "district", "huyện": "district", "thị xã": "district", "thành phố": "district",
    "phường": "ward", "xã": "ward", "thị trấn": "ward", "tỉnh": "province",
}
# Words after 'xã' that make 'xã hội' (society), not a commune.
_NOT_NAMES = frozenset({"hội", "Hội"})
_LEVEL_RANK = {"district": 0, "ward": 1}
# Words after which a place is a plan's giver, a source or a document, not the owner of a figure.
_ASIDE_BEFORE = re.compile(
    r"(?:dự toán|kế hoạch|chỉ tiêu|chỉ đạo|theo|Ban|Đề án|giao|Luật|cùng kỳ|điện tử|Sở|Cục|Báo)\s+(?:\S+\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Place:
    """A written reference to a unit: 'quận Thanh Xuân' (named) or 'toàn thành phố' (a level only)."""

    start: int
    end: int
    level: str  # district | ward | city | province | country
    unit_type: str | None = None  # quận, huyện, … as written; None for a bare city name
    name: str | None = None  # canonical when the gazetteer knows the unit, else as written; None for a bare level
    bare: bool = False  # a known name written without its type ('Hoàng Mai')

    @property
    def is_plain_word(self) -> bool:
        """'xã hội', 'các phường': a ward-level word without a name is never a figure's owner."""
        return self.name is None and self.level == "ward"

    @property
    def key(self) -> str | None:
        """Return the comparison key of a named place: 'quận Bình Tân' -> 'binh tan'."""
        return _name_key(self.name) if self.name else None


def find_places(text: str, gazetteer: Gazetteer | None, on: date | None = None) -> list[Place]:
    """List the units and levels a text names: 'UBND quận Thanh Xuân' -> Place(district, 'Thanh Xuân')."""
    places: list[Place] = []
    covered = 0
    names: dict[tuple[str, str], str] = {}  # an article repeats its units: trim each written run once
    for match in _TYPE_WORD.finditer(lower_in_place(text)):
        after = _AFTER_TYPE.match(text, match.end())
        if match.start() < covered or not at_word_start(text, match.start()) or after is None:
            continue
        place = _typed_place(text, match.start(), match.group("type"), match.end("type"), after.end(), gazetteer, on,
                             names)
        places.append(place)
        covered = place.end
    named_spans = [(place.start, place.end) for place in places]  # in text order, not overlapping
    for match in _CITY_WORDS.finditer(text):
        if at_word_start(text, match.start()) and not _inside(named_spans, match.start()):
            words = fold(match.group())
            level = "country" if words in ("ca nuoc", "toan quoc") else "city"
            city = _CENTRAL_CITIES.get(words.replace("tp ", "").replace("tp.", ""), match.group())
            name = None if level == "country" else city
            places.append(Place(match.start(), match.end(), level, name=name))
    if gazetteer is not None:
        places.extend(_bare_names(text, gazetteer, named_spans))
    places.sort(key=lambda place: place.start)
    return places


def find_url_places(url: str | None, gazetteer: Gazetteer | None) -> list[Place]:
    """List the known units an article's address names: '…/quan-thanh-xuan-thu-ngan-sach…' -> [Thanh Xuân]."""
    if not url or gazetteer is None:
        return []
    words = re.split(r"[^a-z0-9]+", fold(url.split("?")[0]))
    places = []
    for index, word in enumerate(words):
        if word in ("quan", "huyen", "tx") or words[index:index + 2] == ["thi", "xa"]:
            offset = 2 if word == "thi" else 1
            for size in (3, 2, 1):
                name = " ".join(words[index + offset:index + offset + size])
                unit = gazetteer.resolve(f"{' '.join(words[index:index + offset])} {name}") if name else None
                if unit is not None:
                    places.append(_known_place(0, 0, unit))
                    break
    return places


def main_place(title_places: list[Place], places: list[Place]) -> Place | None:
    """Choose the unit an article is about: the district or ward it names most, its title counting thrice.

    None when the title names a city or province and no district or ward, not even as 'quận' alone ('Quận
    đông dân nhất Hà Nội …' is about a district): the article is about that level, and its figures belong
    to a district only where a sentence names one.
    """
    title_levels = {place.level for place in title_places if not place.is_plain_word}
    if title_levels & {"city", "province"} and not title_levels & set(_LEVEL_RANK):
        return None
    scores: dict[str, float] = defaultdict(float)
    first: dict[str, Place] = {}
    for weight, group in ((3.0, title_places), (1.0, places)):
        for place in group:
            if place.name and place.level in _LEVEL_RANK:
                scores[place.key] += weight * (0.5 if place.bare else 1.0)
                if place.key not in first or first[place.key].bare and not place.bare:
                    first[place.key] = place
    if not scores:
        return None
    order = {key: index for index, key in enumerate(first)}
    best = max(scores, key=lambda key: (scores[key], -_LEVEL_RANK[first[key].level], -order[key]))
    return first[best]


def subject_places(text: str, places: list[Place], main: Place | None) -> list[Place] | None:
    """Return the units a clause's figure belongs to, given the places before it; None when it is another level's.

    The nearest place before the figure decides ('thu ngân sách trên địa bàn quận 5'); places in brackets,
    in plan wording ('dự toán thành phố giao') or locating another ('huyện Đông Anh (Hà Nội)') do not.
    Coordinated units share the figure: 'quận 1 và quận 10 … trên 1.000 tỷ' -> [quận 1, quận 10].
    """
    candidates = [place for place in places if not _is_aside(text, place, places) and not place.is_plain_word]
    if not candidates:
        return [main] if main else []
    nearest = candidates[-1]
    if nearest.name is None:  # a level word: 'toàn quận', 'thành phố', 'cả nước'
        same_level = main is not None and nearest.unit_type is not None and nearest.unit_type == main.unit_type
        return [main] if same_level else None
    if nearest.level not in _LEVEL_RANK:
        return None
    if main is not None and nearest.key == main.key:
        return [main]
    group = [nearest]
    for place in reversed(candidates[:-1]):
        coordinated = re.fullmatch(r"\s*(?:,|và)\s*", text[place.end:group[-1].start]) is not None
        if place.name and place.level in _LEVEL_RANK and coordinated:
            group.append(place)
        else:
            break
    return list(reversed(group))


def _typed_place(text: str, start: int, written_type: str, type_end: int, position: int,
                 gazetteer: Gazetteer | None, on: date | None, names: dict[tuple[str, str], str]) -> Place:
    unit_type = _TYPE_WORDS[" ".join(written_type.split())]
    if gazetteer is not None:
        known = _known_names(gazetteer).match(text, position)
        if known:
            unit = _resolve(gazetteer, f"{unit_type} {known.group()}", on)
            if unit is not None:
                return _known_place(start, known.end(), unit)
    number = _NUMBER_NAME.match(text, position) if unit_type in _NUMBERED_TYPES else None
    run = None if number else _CAPITALISED_RUN.match(text, position)
    if number is None and run is None or run is not None and run.group() in _NOT_NAMES and unit_type == "xã":
        return Place(start, type_end, _level_word(unit_type), unit_type)
    if number is not None:
        return Place(start, number.end(), _LEVEL_BY_TYPE[unit_type], unit_type, f"{unit_type} {number.group()}")
    if (unit_type, run.group()) not in names:
        names[unit_type, run.group()] = _attested_name(text, unit_type, run.group())
    name = names[unit_type, run.group()]
    if gazetteer is not None and (unit := _resolve(gazetteer, f"{unit_type} {name}", on)) is not None:
        return _known_place(start, run.start() + len(name), unit)
    central = _CENTRAL_CITIES.get(fold(name))
    if unit_type == "thành phố" and central:
        return Place(start, run.start() + len(name), "city", unit_type, central)
    return Place(start, run.start() + len(name), _LEVEL_BY_TYPE[unit_type], unit_type, f"{unit_type} {name}")


def _known_place(start: int, end: int, unit: Unit) -> Place:
    """A gazetteer unit, by its canonical name and type, however the text wrote it ('thành phố Hà Đông')."""
    return Place(start, end, _LEVEL_BY_TYPE.get(unit.type, "district"), unit.type, unit.name)


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    """Tell whether a position falls in one of the sorted, disjoint spans."""
    index = bisect_right(spans, (position, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= position < spans[index][1]


def _level_word(unit_type: str) -> str:
    return {"thành phố": "city", "tỉnh": "province"}.get(unit_type, _LEVEL_BY_TYPE[unit_type])


def _attested_name(text: str, unit_type: str, run: str) -> str:
    """Trim a capitalised run to the unit's name, which may run into a person's name: 'Bình Tân Lê Văn' -> 'Bình Tân'.

    A prefix is attested where the text writes it after the type word and before a lower-case word or
    punctuation; the most often attested prefix wins, the shorter on ties ('Đại Lộc' over 'Đại Lộc Ảnh:').
    Without one, two syllables, the usual length of a Vietnamese place name.
    """
    words = run.split()
    attested = {}
    for size in range(1, len(words) + 1):
        prefix = " ".join(words[:size])
        pattern = rf"(?i:{re.escape(unit_type)})\s+{re.escape(prefix)}(?!\s+[{_UPPER}])(?![^\W\d_])"
        attested[prefix] = len(re.findall(pattern, text))
    best = max(attested, key=lambda prefix: (attested[prefix], -len(prefix)))
    return best if attested[best] else " ".join(words[:2])


@lru_cache(maxsize=8)
def _known_names(gazetteer: Gazetteer) -> re.Pattern:
    names = sorted({form for unit in gazetteer.units for form in (unit.name, *unit.aliases)}, key=len, reverse=True)
    return re.compile("|".join(re.escape(name) for name in names), re.IGNORECASE)


@lru_cache(maxsize=8)
def _bare_known_names(gazetteer: Gazetteer) -> re.Pattern:
    names = sorted({unit.name for unit in gazetteer.units}, key=len, reverse=True)
    return re.compile("(?:" + "|".join(re.escape(name) for name in names) + r")(?![^\W\d_])")


def _bare_names(text: str, gazetteer: Gazetteer, named_spans: list[tuple[int, int]]) -> list[Place]:
    """Known names written alone, unless they sit inside a person's name ('Nguyễn Thanh Xuân')."""
    found = []
    for match in _bare_known_names(gazetteer).finditer(text):
        if not at_word_start(text, match.start()) or _inside(named_spans, match.start()):
            continue
        before, after = text[max(0, match.start() - 12):match.start()], text[match.end():match.end() + 12]
        if re.search(rf"[{_UPPER}][^\W\d_]*\s+$", before) or re.match(rf"\s+[{_UPPER}]", after):
            continue
        candidates = _candidates(gazetteer, match.group())
        if len(candidates) == 1:
            unit = candidates[0]
            found.append(replace(_known_place(match.start(), match.end(), unit), bare=True))
    return found


def _is_aside(text: str, place: Place, places: list[Place]) -> bool:
    """Tell whether a place only qualifies the sentence rather than owning the figure."""
    before = text[max(0, place.start - 40):place.start]
    if before.count("(") > before.count(")"):
        return True
    if re.match(r"\s+(?:đã\s+)?giao(?![^\W\d_])", text[place.end:place.end + 12], re.IGNORECASE):
        return True  # who assigned a plan: "dự toán thu năm 2024 thành phố giao"
    if _ASIDE_BEFORE.search(before):
        return True
    if place.level in ("city", "province"):
        previous = [other for other in places if other.end <= place.start]
        if previous and re.fullmatch(r"\s*[,(\-–]\s*", text[previous[-1].end:place.start]):
            return True
    return False


# Articles name the same few units again and again: resolve each written form once.
@lru_cache(maxsize=4096)
def _resolve(gazetteer: Gazetteer, written: str, on: date | None):
    return gazetteer.resolve(written, on=on)


@lru_cache(maxsize=4096)
def _candidates(gazetteer: Gazetteer, written: str):
    return gazetteer.candidates(written)


@lru_cache(maxsize=4096)
def _name_key(name: str) -> str:
    words = fold(name).replace(".", " ").split()
    while words and words[0] in ("quan", "huyen", "thi", "xa", "thanh", "pho", "tp", "phuong", "tran", "tinh"):
        if words[:2] in (["thi", "xa"], ["thanh", "pho"], ["thi", "tran"]):
            words = words[2:]
        elif words[0] in ("thi", "thanh", "pho"):
            break
        else:
            words = words[1:]
    return " ".join(words)
