"""Recognise administrative units however they are written: 'Q. Thanh Xuân', 'quan thanh xuan', 'UBND huyện Mê Linh'."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sources.text import fold

# Unit types with the abbreviations Vietnamese documents use for them, folded.
UNIT_TYPES: dict[str, tuple[str, ...]] = {
    "quận": ("quan", "q"),
    "huyện": ("huyen", "h"),
    "thị xã": ("thi xa", "tx", "t x"),
    "thành phố": ("thanh pho", "tp", "t p"),
    "phường": ("phuong", "p"),
    "xã": ("xa",),
    "thị trấn": ("thi tran", "tt"),
    "tỉnh": ("tinh",),
}
ABBREVIATIONS = {"quận": "Q.", "huyện": "H.", "thị xã": "TX.", "thành phố": "TP.", "phường": "P.", "xã": "X.", "thị trấn": "TT."}
_TYPE_BY_WORD = {word: unit_type for unit_type, words in UNIT_TYPES.items() for word in words}
_PREFIX = re.compile(
    r"^(?:ubnd |uy ban nhan dan )?(" + "|".join(sorted(map(re.escape, _TYPE_BY_WORD), key=len, reverse=True)) + r") "
)


def unit_key(text: str) -> str:
    """Return the folded key of a unit name, punctuation as spaces: 'Q.Thanh Xuân' -> 'q thanh xuan'."""
    return re.sub(r"\s+", " ", re.sub(r"[.,:;()\-_/]", " ", fold(text))).strip()


def split_type(text: str) -> tuple[str | None, str]:
    """Split a written unit into its type and bare-name key: 'UBND Q. Tây Hồ' -> ('quận', 'tay ho')."""
    key = unit_key(text)
    match = _PREFIX.match(key)
    if match is None:
        return None, key
    return _TYPE_BY_WORD[match.group(1)], key[match.end():]


@dataclass(frozen=True)
class Unit:
    """One administrative unit with the period it existed under this name."""

    id: str
    name: str
    type: str
    province: str
    valid_from: date | None = None
    valid_to: date | None = None
    aliases: tuple[str, ...] = field(default=())
    note: str | None = None

    @property
    def full_name(self) -> str:
        """Return the name with its type: 'quận Thanh Xuân'."""
        return f"{self.type} {self.name}"

    def written_forms(self) -> list[str]:
        """List the usual ways the unit is written: 'Thanh Xuân', 'quận Thanh Xuân', 'Q. Thanh Xuân', 'quan thanh xuan'."""
        forms = [self.name, self.full_name, self.full_name[0].upper() + self.full_name[1:], *self.aliases]
        abbreviation = ABBREVIATIONS.get(self.type)
        if abbreviation:
            forms += [f"{abbreviation} {self.name}", f"{abbreviation}{self.name}"]
        forms += [fold(form) for form in list(forms)]
        return list(dict.fromkeys(forms))

    def valid_on(self, day: date) -> bool:
        """Tell whether the unit existed on that day."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class Gazetteer:
    """Look units up by any written form, preferring the one valid on a given day."""

    def __init__(self, units: Iterable[Unit]):
        self.units = list(units)
        self._by_key: dict[str, list[Unit]] = {}
        for unit in self.units:
            keys = {split_type(form)[1] for form in unit.written_forms()} | {unit_key(unit.id)}
            for key in keys:
                self._by_key.setdefault(key, []).append(unit)

    def candidates(self, written: str) -> list[Unit]:
        """Return every unit the text could name, filtered by its type word when it has one."""
        unit_type, key = split_type(written)
        found = list(dict.fromkeys(self._by_key.get(key, [])))
        if unit_type is not None:
            found = [unit for unit in found if unit.type == unit_type or unit_key(written) in map(unit_key, unit.aliases)]
        return found

    def resolve(self, written: str, on: date | None = None) -> Unit | None:
        """Return the one unit the text names (on that day, when several), else None: 'quan tay ho' -> Tây Hồ."""
        found = self.candidates(written)
        if on is not None and len(found) > 1:
            found = [unit for unit in found if unit.valid_on(on)]
        return found[0] if len(found) == 1 else None

    def suggest(self, written: str, limit: int = 3) -> list[str]:
        """Return the closest known unit names to a misspelt one: 'Thanh Xuan Bac' -> ['Thanh Xuân']."""
        _, key = split_type(written)
        close = difflib.get_close_matches(key, list(self._by_key), n=limit * 3, cutoff=0.6)
        names = [unit.name for match in close for unit in self._by_key[match]]
        return list(dict.fromkeys(names))[:limit]
