"""Recognise the rows of a department table that are structure, not figures: totals, group headings, breakdowns."""

from __future__ import annotations

import re

from sources.departments.mapping import Mapping, label_key

# Row kinds that are counted and reported as skipped (contracts.messages has a rule for each), never loaded.
STRUCTURE_KINDS = ("total", "heading", "breakdown", "numbering", "mapping_skip", "footer")

_NUMBERING = re.compile(r"^\s*(?:(?:[IVXLC]+|[A-Za-zĐđ]|\d+(?:\.\d+)*)\s*[.)]\s+|[-+*•]\s*)")
_TOTAL = re.compile(
    r"(?:tong cong|tong so|tong|cong)(?: (?:toan|ca|chung) .*)?"
    r"|(?:toan|ca|chung) (?:quan|huyen|thi xa|thanh pho|tp|dia ban)\b.*"
)
_BREAKDOWN = re.compile(r"(?:trong do|bao gom|chia ra|chi tiet)\b.*")
# 'A', '(1)', '12', and a computed column's formula: '3=2/1', '(5)=(4)/(3)', '6 = 4 - 2', '7=5/3*100%'
_COLUMN_CODE = re.compile(r"\(?(?:[A-Za-z]|\d{1,2})\)?(?:\s*=\s*[\dA-Za-z()+\-*/:x×%.,\s]+)?")


# The signature block that ends an administrative report (Nghị định 30/2020): who drew it up, who signs, where it goes.
_SIGNATURE = re.compile(
    r"\b(?:nguoi lap (?:bieu|bang|bao cao)|thu truong (?:don vi|co quan)|ky (?:ghi ro )?(?:ho ten|ten)|ky ten dong dau"
    r"|kt chu tich|tm uy ban nhan dan|tm ubnd|pho chu tich|chu tich|noi nhan|luu vt|ke toan truong|truong phong)\b"
)


def is_signature(cell: str | None) -> bool:
    """Tell whether a cell opens the report's signature block: 'Người lập biểu', '(Ký, ghi rõ họ tên)', 'Nơi nhận:'."""
    return bool(cell) and _SIGNATURE.search(label_key(cell)) is not None


def strip_numbering(label: str) -> str:
    """Remove a list number or bullet before a row label: 'II. Chi ngân sách' -> 'Chi ngân sách', '- Thu thuế' -> 'Thu thuế'."""
    previous = None
    while previous != label:
        previous, label = label, _NUMBERING.sub("", label, count=1)
    return label.strip()


def label_kind(label: str, mapping: Mapping | None = None) -> str | None:
    """Say what a row label marks when it is not a metric: 'Tổng cộng' -> 'total', 'Trong đó: thuế' -> 'breakdown'."""
    key = label_key(strip_numbering(label))
    if _TOTAL.fullmatch(key):
        return "total"
    if mapping is not None and key in mapping.skip_rows:
        return "mapping_skip"
    if _BREAKDOWN.fullmatch(key):
        return "breakdown"
    return None


def is_total(label: str) -> bool:
    """Tell whether a district cell names a total rather than a unit: 'Toàn quận', 'Tổng cộng' -> True."""
    return _TOTAL.fullmatch(label_key(strip_numbering(label))) is not None


def is_column_code(cell: str | None) -> bool:
    """Tell whether a cell is a column code of a numbering row under the header: 'A', '(1)', '12' -> True."""
    return cell is None or cell == "" or _COLUMN_CODE.fullmatch(cell.strip()) is not None
