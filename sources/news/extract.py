"""Assemble KPI facts from the amounts, periods, KPI phrases and places found in an article's sentences."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import chain

from sources.gazetteer import Gazetteer
from sources.news.amounts import Amount, find_amounts
from sources.news.comparisons import PlanRatio, Ratios, bare_ratio, read_ratios
from sources.news.dates import PeriodMention, find_periods, year_hint
from sources.news.districts import Place, find_places, find_url_places, main_place, subject_places
from sources.news.document import Scan, Sentence, split_sentences
from sources.news.facts import Article, Fact
from sources.news.metrics import BUDGET_PAIR, METRIC_UNITS, SECTOR, Mention, find_mentions, find_restated_count
from sources.text import lower_in_place, normalize, normalize_with_offsets, traditional_tones

# How far a figure may sit from the phrase naming it:
# 'thu ngân sách … đạt cao nhất so với cùng kỳ, đạt hơn 9,1 nghìn tỷ'.
_MAX_GAP = {"VND": 120, "percent": 40}
# How far before or after a figure its sentence is read for targets, parts and comparisons. Real sentences are
# shorter; the bound keeps a run-on text (no full stops in a scraped page) linear in time.
_REACH = 400
_ESTIMATE = re.compile(r"(?<![^\W\d_])(?:ước|dự\s+kiến|dự\s+tính)(?![^\W\d_])")
_TARGET_MARKER = re.compile(
    r"phấn\s+đấu|mục\s+tiêu|chỉ\s+tiêu(?:\s+được)?\s+giao|đề\s+ra|(?:kế\s+hoạch|dự\s+toán|kh)\s+năm\s+\d{4}"
    r"|chỉ\s+tiêu\s+(?:chủ\s+yếu|cụ\s+thể)"
)
# Before a target marker these make it an achievement: 'hoàn thành 18/20 chỉ tiêu chủ yếu, trong đó thu …'.
_ACHIEVED = re.compile(
    r"(?:%|hoàn\s+thành|vượt|đạt|\d+/\d+|kết\s+quả(?:\s+thực\s+hiện)?)\s*(?:so\s+với\s+)?(?:(?:và|các|một\s+số)\s+)*$"
)
_PLAN_NOUN = re.compile(r"dự\s+toán|kế\s+hoạch|chỉ\s+tiêu|mục\s+tiêu|(?<![^\W\d_])kh(?![^\W\d_])")
_PLAN_NOUN_BEFORE = re.compile(r"(?:dự\s+toán|kế\s+hoạch|chỉ\s+tiêu|mục\s+tiêu)\s+(?:[^\W\d_]+\s+)?$")
_ASSIGNED = re.compile(r"(?<![^\W\d_])(?:được\s+)?giao(?:\s+(?:là|:))?\s*$")
_AFTER_PERCENT = re.compile(r"%\s*(?:so\s+với\s+)?$")
# After 'giá trị sản xuất', words that make it the whole district's, whatever sector was named before.
_WHOLE_AREA = re.compile(r"\s*(?:\(gtsx\)\s*)?(?:(?:năm\s+\d{4}|\d+\s+tháng[^,;]{0,15}?)\s+)?"
                         r"(?:trên\s+địa\s+bàn|toàn\s+(?:quận|huyện|thị\s+xã)|của\s+(?:quận|huyện|thị\s+xã)|các\s+ngành)")
# Between a phrase and an amount, words that make the amount another quantity than the KPI's level:
# a change ('thu ngân sách tăng 500 tỷ'), a shortfall, an arrear, a refund, a part ('không kể tiền sử dụng đất').
_OTHER_QUANTITY = re.compile(
    r"(?<![^\W\d_])(?:tăng|giảm|vượt|hụt|thiếu|còn|nợ|chậm|tồn|thất\s+thu|chênh\s+lệch|cao\s+hơn|thấp\s+hơn|nhiều\s+hơn"
    r"|ít\s+hơn|thu\s+hồi|hoàn\s+trả|tạm\s+ứng|không\s+kể|không\s+tính|không\s+(?:bao\s+)?gồm|chưa\s+(?:kể|tính)|ngoài|trừ)"
    r"(?![^\W\d_])"
)
# Before a bare 'thu được', the unit that collects: 'quận (đã) thu được', 'phường Dịch Vọng thu được' — one unit,
# not 'các phường' or 'nhiều quận'.
_SUBJECT_GAP = re.compile(r"\s+(?:(?:đã|cũng|ước|chỉ|mới)\s+)*")
_SEVERAL = re.compile(r"(?<![^\W\d_])(?:các|những|nhiều|một\s+số|mỗi|hai|ba)\s+$")
# Before it in its clause or right after its amount, words that make what was collected a part of the revenue or
# another sum: a fee, a tax, fines, land-use money, an auction ('Riêng tiền sử dụng đất, quận thu được …',
# 'thu được 12 tỷ đồng tiền phạt', 'thu được 300 tỷ đồng từ đấu giá').
_REVENUE_PART = re.compile(
    r"(?<![^\W\d_])(?:tiền|thuế|phí|phạt|nguồn\s+thu|khoản\s+thu|đấu\s+giá|sử\s+dụng\s+đất|trong\s+đó)(?![^\W\d_])"
)
_PART_AFTER = re.compile(r"\s*(?:từ|tiền|thuế|phí|lệ\s+phí|do)(?![^\W\d_])")
# A period sets the scene when it opens a phrase: '6 tháng đầu năm, …', 'cho biết, trong năm 2024, …'.
_OPENERS = r"\s*(?:(?:trong|riêng|tính|vào|cả|trước\s+đó|theo\s+đó|cụ\s+thể|và)\s+)*"
_OPENS_CLAUSE = re.compile(_OPENERS)
_OPENS_PHRASE = re.compile(r"(?:[,:;(.]|\s-)" + _OPENERS + "$")
_HEADS_LIST = re.compile(r"[^\d,;.:]{0,40}:\s*")
_COMPONENT = re.compile(r"(?<![^\W\d_])trong\s+đó(?![^\W\d_])")
# Between a figure and a period written right after it: '1.350 doanh nghiệp thành lập mới trong 9 tháng'.
_TRAILING_GAP = re.compile(r"\s*,?\s*(?:trong|tính|của)?\s*")
# … or, before a cut-off, the words naming what the figure is of: 'giải ngân 929 tỷ vốn đầu tư công tính đến 30/11'.
# Words of a comparison or a plan would make the date theirs.
_OBJECT_BEFORE_CUT_OFF = re.compile(
    r"(?:\s+(?!(?:so|với|bằng|đạt|tăng|giảm|kế|dự|chỉ|cùng|kỳ|và|là|của|năm|tháng)(?![^\W\d_]))[^\W\d_]+){1,5}"
    r"\s*,?\s*(?:tính\s+)?"
)
# Between a figure and the next amount: that amount is the plan itself ('so với kế hoạch được giao là 982,8 tỷ').
_PLAN_AMOUNT_LEAD = re.compile(
    r"\s*,?\s*(?:so\s+với\s+)?(?:kế\s+hoạch|dự\s+toán|chỉ\s+tiêu)(?:\s+năm\s+\d{4})?(?:\s+(?:được\s+)?giao)?"
    r"(?:\s+(?:là|:))?\s*"
)
# … or the same metric over another period: the cumulative ('tháng 10 đạt 500 tỷ, lũy kế 10 tháng đạt 4.500 tỷ',
# '…, nâng tổng số từ đầu năm lên 144 giấy phép') or the month inside it ('đạt 13.256 tỷ …; riêng tháng 10 thu 1.120 tỷ').
# The lead must name that period: 'nâng tổng số doanh nghiệp đang hoạt động lên 15.300' is a stock, not a KPI.
_OTHER_PERIOD_LEAD = re.compile(
    r"(?:^|[,;])\s*(?:(?:lũy|luỹ)\s+kế|cộng\s+dồn|nâng\s+tổng(?:\s+số)?|riêng\s+(?:trong\s+)?(?:tháng|quý))(?![^\W\d_])"
    r"[^;.%]*$"
)


def extract_text(
    text: str,
    *,
    published: date | None = None,
    gazetteer: Gazetteer | None = None,
    district_hint: str | None = None,
    title: str | None = None,
    url: str | None = None,
) -> Article:
    """Read every catalogued KPI figure in an article's text; offsets index into the text as given.

    'Thu ngân sách của quận đến ngày 31-10-2024 là hơn 5.606 tỷ đồng, đạt 84,72% dự toán' (Thanh Xuân, 2024-11-08)
    -> Fact(budget_revenue, 5606000000000 VND, more_than, as of 2024-10-31, ytd, 84.72 % of plan)
    """
    reader = _Reader(text, published, gazetteer, district_hint, title, url)
    return Article(title=title, published=published, text=text, facts=reader.facts())


@dataclass(frozen=True)
class _Figure:
    """A KPI figure before its district, period and comparisons are settled."""

    mention: Mention
    metric: str
    value: int | float
    unit: str
    qualifier: str | None
    start: int  # where the figure is written
    end: int
    is_target: bool
    whole: int | None = None  # what the figure is a part of, when written as a fraction: '312/540 tỷ đồng'


@dataclass(frozen=True)
class _Period:
    """A settled period: cut-off date (None when the year or month cannot be known) and period code."""

    as_of: date | None
    code: str


_NO_PERIOD = _Period(None, "other")


@dataclass
class _Walk:
    """What the walk over the sentences carries along."""

    paragraph: int = -1
    paragraph_start: int = 0
    scene: PeriodMention | None = None  # the period this paragraph set
    running: PeriodMention | None = None  # the last period an earlier paragraph set
    paragraph_facts: list[Fact] = field(default_factory=list)
    clause_facts: list[Fact] = field(default_factory=list)


class _Reader:
    """Everything read once from an article, and the walk over its sentences that pairs it into facts."""

    def __init__(self, text: str, published: date | None, gazetteer: Gazetteer | None, district_hint: str | None,
                 title: str | None, url: str | None):
        self.original = text
        normal, self.origin = normalize_with_offsets(text)
        self.text = traditional_tones(normal)
        self.published = published
        self.sentences = split_sentences(self.text)
        self.low = lower_in_place(self.text)  # every KPI pattern is written for lower-cased text
        scan = Scan.of(self.low, self.sentences)
        self.amounts = find_amounts(self.low)
        self.amount_starts = [amount.start for amount in self.amounts]
        self.periods = find_periods(scan, published)
        self.period_starts = [period.start for period in self.periods]
        self.mentions = find_mentions(scan)
        self.mention_starts = [mention.start for mention in self.mentions]
        self.places = find_places(self.text, gazetteer, published)
        self.place_starts = [place.start for place in self.places]
        title_text = traditional_tones(normalize(title or ""))
        title_places = find_places(title_text, gazetteer, published) + find_url_places(url, gazetteer)
        self.main = self._main(district_hint, gazetteer, title_places)
        title_periods = find_periods(title_text, published)
        self.year = published.year if published else year_hint(self.periods + title_periods)
        self.article_scene = next((p for p in title_periods if p.kind != "month"), None) or self._first_scene()
        self.reported = self._reported_cut_offs(title_periods)

    def facts(self) -> list[Fact]:
        """Walk the sentences clause by clause, carrying the periods they set from one sentence to the next."""
        facts: list[Fact] = []
        walk = _Walk()
        for sentence in self.sentences:
            if sentence.paragraph != walk.paragraph:
                walk.paragraph, walk.running = sentence.paragraph, walk.scene or walk.running
                walk.paragraph_start = sentence.start
                walk.scene, walk.paragraph_facts = None, []
            for clause in sentence.clauses:
                walk.clause_facts = []
                first_figure = clause[1]
                for figure in self._figures(sentence, clause):
                    first_figure = min(first_figure, figure.mention.start)
                    if not self._is_component(figure, sentence, walk.paragraph_facts):
                        walk.clause_facts.extend(self._facts_for(figure, sentence, clause, walk))
                walk.paragraph_facts.extend(walk.clause_facts)
                facts.extend(walk.clause_facts)
                walk.scene = self._scene(clause[0], first_figure) or walk.scene
        return _deduplicate(facts)

    def _main(self, district_hint: str | None, gazetteer: Gazetteer | None, title_places: list[Place]) -> Place | None:
        if district_hint:
            hinted = find_places(traditional_tones(normalize(district_hint)), gazetteer, self.published)
            named = [place for place in hinted if place.name]
            if named:
                return named[0]
            unit = gazetteer.resolve(district_hint, on=self.published) if gazetteer else None
            return Place(0, 0, "district", unit.type if unit else None, unit.name if unit else district_hint.strip())
        return main_place(title_places, self.places)

    def _first_scene(self) -> PeriodMention | None:
        """Return the first period the article states before any KPI phrase of its clause, as its overall period."""
        for sentence in self.sentences:
            for start, end in sentence.clauses:
                first_metric = next((m.start for m in self._mentions(start, end) if m.metric), end)
                scene = self._scene(start, first_metric)
                if scene is not None:
                    return scene
        return None

    def _scene(self, start: int, end: int) -> PeriodMention | None:
        """Return the period a clause sets for what follows: a cut-off, a period opening a phrase ('Năm 2018, …') or
        one heading a list ('Kết quả 11 tháng năm 2024:')."""
        for period in reversed(self._periods(start, end)):
            opens_phrase = (_OPENS_CLAUSE.fullmatch(self.low, start, period.start) is not None
                            or _OPENS_PHRASE.search(self.low, max(start, period.start - 40), period.start) is not None
                            or _HEADS_LIST.fullmatch(self.low, period.end, end) is not None)
            if period.kind == "cutoff" or period.kind != "month" and opens_phrase:
                return period
        return None

    def _periods(self, start: int, end: int) -> list[PeriodMention]:
        return self.periods[bisect_left(self.period_starts, start):bisect_left(self.period_starts, end)]

    def _mentions(self, start: int, end: int) -> list[Mention]:
        return self.mentions[bisect_left(self.mention_starts, start):bisect_left(self.mention_starts, end)]

    def _amounts(self, start: int, end: int) -> list[Amount]:
        return self.amounts[bisect_left(self.amount_starts, start):bisect_left(self.amount_starts, end)]

    def _figures(self, sentence: Sentence, clause: tuple[int, int]) -> list[_Figure]:
        """Pair each KPI phrase of a clause with its figure: the count it holds, or the first amount after it.

        A bare 'thu' or 'chi' is a phrase only after 'thu, chi ngân sách' in the sentence; elsewhere it is a verb
        ('Về chi ngân sách, quận đã chi 162,872 tỷ') that must not end the phrase before it.
        """
        mentions = [
            m for m in self._mentions(clause[0], clause[1])
            if m.context != "pair" or BUDGET_PAIR.search(self.low, sentence.start, m.start)
        ]
        figures = []
        for index, mention in enumerate(mentions):
            if mention.metric is None:
                continue
            limit = mentions[index + 1].start if index + 1 < len(mentions) else clause[1]
            figure = self._figure(mention, sentence, clause, limit)
            if figure is not None:
                figures.append(figure)
        return figures

    def _figure(self, mention: Mention, sentence: Sentence, clause: tuple[int, int], limit: int) -> _Figure | None:
        metric, unit = mention.metric, METRIC_UNITS[mention.metric]
        penalties_before = "phạt" in self.low[self._before(sentence, mention.start):mention.start]
        if mention.context == "penalty" and "phạt" not in self.low[clause[0]:mention.start]:
            return None
        if mention.context == "budget" and not self._collected_by_a_unit(mention, clause):
            return None
        if metric == "budget_revenue" and penalties_before:
            return None  # 'xử phạt 300 trường hợp, thu ngân sách 1,2 tỷ' is the fines paid in, not the revenue
        if not mention.is_total and not _WHOLE_AREA.match(self.low, mention.end) \
                and SECTOR.search(self.low, max(sentence.start, mention.start - 80), mention.start):
            return None  # 'sản xuất công nghiệp …, giá trị sản xuất đạt 305 tỷ' is the sector's value
        if unit == "count":
            qualifier = mention.qualifier or self._estimate(clause, mention, mention.count_start)
            target = self._targeted(sentence, clause, mention, mention.count_start)
            start, end = mention.count_start, mention.count_end
            return _Figure(mention, metric, mention.count, unit, qualifier, start, end, target)
        amount = self._first_amount(mention, unit, limit)
        if amount is None:
            return None
        if _OTHER_QUANTITY.search(self.low, mention.end, amount.start):
            return None  # 'tỷ trọng thương mại - dịch vụ tăng 2%', 'thu ngân sách tăng 500 tỷ': changes, not levels
        if mention.context == "budget" and _PART_AFTER.match(self.low, amount.end):
            return None  # 'quận thu được 820 tỷ đồng tiền sử dụng đất'
        value = float(amount.value) if unit == "percent" else int(amount.value)
        qualifier = amount.qualifier or self._estimate(clause, mention, amount.start)
        target = self._targeted(sentence, clause, mention, amount.start)
        whole = int(amount.whole) if amount.whole is not None else None
        return _Figure(mention, metric, value, unit, qualifier, amount.start, amount.end, target, whole)

    def _collected_by_a_unit(self, mention: Mention, clause: tuple[int, int]) -> bool:
        """Tell whether a bare 'thu được' has a unit for subject and no part of the revenue named before it."""
        index = bisect_left(self.place_starts, mention.start) - 1
        subject = self.places[index] if index >= 0 else None
        if subject is None or not _SUBJECT_GAP.fullmatch(self.low, subject.end, mention.start):
            return False
        if subject.is_plain_word or subject.name is None and _SEVERAL.search(self.low, subject.start - 12, subject.start):
            return False  # 'phường thu được …', 'nhiều quận thu được …': other units' sums, not this one's
        return not _REVENUE_PART.search(self.low, clause[0], mention.start)

    def _about_the_budget(self, figure: _Figure, ratios: Ratios, walk: _Walk) -> bool:
        """Tell whether what a unit 'thu được' is its budget revenue: measured against the budget estimate ('đạt
        18,49% dự toán'), or in a paragraph about the budget revenue that has given no revenue figure yet."""
        if any(self.low.startswith("dự toán", start) for _, _, start, _ in ratios.plan):
            return True
        earlier = self._mentions(walk.paragraph_start, figure.mention.start)
        topic = any(m.metric == "budget_revenue" and m.context is None for m in earlier)
        told = any(fact.metric == "budget_revenue" for fact in walk.paragraph_facts + walk.clause_facts)
        return topic and not told

    def _first_amount(self, mention: Mention, unit: str, limit: int) -> Amount | None:
        """Return the figure a phrase names, or None when the first candidate is unusable (USD, malformed, a range…)."""
        for amount in self._amounts(mention.end, limit):
            if amount.start - mention.end > _MAX_GAP[unit]:
                return None
            if amount.unit == "percent" and unit != "percent":
                continue  # a ratio before the amount: 'đạt 100% dự toán (5.664 tỷ đồng)'
            usable = amount.unit == unit and amount.issue is None
            return amount if usable else None
        return None

    def _estimate(self, clause: tuple[int, int], mention: Mention, figure_start: int) -> str | None:
        """Return 'estimate' when 'ước' or 'dự kiến' qualifies the figure: between the phrase and the figure, or opening
        its clause before it ('Ước cả năm 2024, thu ngân sách đạt …'), but not another amount's ('ước đạt 7,3%, thu …')."""
        index = bisect_left(self.amount_starts, mention.start) - 1
        start = max(clause[0], mention.start - 60, self.amounts[index].end if index >= 0 else 0)
        return "estimate" if _ESTIMATE.search(self.low, start, figure_start) else None

    def _targeted(self, sentence: Sentence, clause: tuple[int, int], mention: Mention, figure_start: int) -> bool:
        """Tell whether a figure is a plan or target: 'phấn đấu … thu ngân sách 1.550 tỷ', 'dự toán thu ngân sách …',
        or an item of a list of them ('Các chỉ tiêu chủ yếu năm 2025:\n- Thu ngân sách: 7.200 tỷ đồng').

        A clause that names its own period is read alone: in 'phấn đấu giải quyết việc làm cho 4.500 lao động;
        10 tháng đã giải quyết việc làm cho 3.960 lao động' only the first is a target.
        """
        if self._periods(clause[0], figure_start):
            spans = [(max(clause[0], figure_start - _REACH), figure_start)]
        else:
            spans = [(self._before(sentence, figure_start), figure_start)]
            lead = sentence.list_lead
            if lead and not any(period.reports_a_month for period in self._periods(*lead)):
                spans.append(lead)  # 'Một số chỉ tiêu chủ yếu 10 tháng năm 2024:' heads results, not targets
        for marker in chain.from_iterable(_TARGET_MARKER.finditer(self.low, *span) for span in spans):
            if not _ACHIEVED.search(self.low, max(0, marker.start() - 25), marker.start()):
                return True
        if _PLAN_NOUN_BEFORE.search(self.low, max(sentence.start, mention.start - 25), mention.start):
            return True
        if _ASSIGNED.search(self.low, max(mention.end, figure_start - 20), figure_start):
            return True  # 'thu ngân sách năm 2025 được giao 7.300 tỷ đồng'
        for noun in _PLAN_NOUN.finditer(self.low, mention.end, figure_start):
            if not _AFTER_PERCENT.search(self.low, max(0, noun.start() - 12), noun.start()):
                return True
        return False

    def _is_component(self, figure: _Figure, sentence: Sentence, paragraph_facts: list[Fact]) -> bool:
        """A figure after 'trong đó' with a total of the same metric earlier in the paragraph is a part of it."""
        if not _COMPONENT.search(self.low, self._before(sentence, figure.mention.start), figure.mention.start):
            return False
        return any(fact.metric == figure.metric for fact in paragraph_facts)

    def _facts_for(self, figure: _Figure, sentence: Sentence, clause: tuple[int, int], walk: _Walk) -> list[Fact]:
        """Settle a figure's owners, period and comparisons, plus the plan or other-period figure that may follow it."""
        window_start = self._previous_amount_end(clause[0], figure.start)
        places = self.places[bisect_left(self.place_starts, window_start):bisect_left(self.place_starts, figure.start)]
        owners = subject_places(self.text, places, self.main)
        if not owners:
            return []  # another level's figure, or no unit named at all: whose it is would be a guess
        ratios = self._ratios(figure, figure.mention.end, sentence)
        if figure.mention.context == "budget" and not self._about_the_budget(figure, ratios, walk):
            return []
        if figure.whole is not None:
            ratios = self._part_of_whole(figure, sentence, ratios)
            if ratios is None:
                return []
        period = self._period(figure, window_start, walk)
        figures = [(figure, period, ratios)]
        follow_up = self._follow_up(figure, sentence, period)
        if follow_up is not None:
            follow_figure, follow_period, lead_start = follow_up
            figures.append((follow_figure, follow_period, self._ratios(follow_figure, lead_start, sentence)))
        evidence = self._evidence(sentence, clause, figure)
        return [self._fact(f, owner, p, r, evidence) for f, p, r in figures for owner in owners]

    @staticmethod
    def _evidence(sentence: Sentence, clause: tuple[int, int], figure: _Figure) -> tuple[int, int]:
        """The sentence; in a run-on text without full stops, the figure's clause within reach of it."""
        if sentence.end - sentence.start <= 2 * _REACH:
            return sentence.start, sentence.end
        return max(clause[0], figure.mention.start - _REACH), min(clause[1], figure.end + _REACH)

    def _previous_amount_end(self, clause_start: int, position: int) -> int:
        """Where the clause's previous amount (not a percentage) ends, or the clause start: a figure's own words."""
        index = bisect_left(self.amount_starts, position) - 1
        while index >= 0 and self.amounts[index].start >= clause_start:
            if self.amounts[index].unit != "percent":
                return self.amounts[index].end
            index -= 1
        return clause_start

    @staticmethod
    def _before(sentence: Sentence, position: int) -> int:
        return max(sentence.start, position - _REACH)

    @staticmethod
    def _after(sentence: Sentence, position: int) -> int:
        return min(sentence.end, position + _REACH)

    def _ratios(self, figure: _Figure, head_start: int, sentence: Sentence) -> Ratios:
        tail_end = self._tail_end(figure, sentence)
        windows = [(head_start, figure.start), (figure.end, tail_end)]
        return read_ratios(self.low, self._percents(head_start, tail_end), windows)

    def _part_of_whole(self, figure: _Figure, sentence: Sentence, ratios: Ratios) -> Ratios | None:
        """Check a fraction by the share written after it: 'giải ngân được 312/540 tỷ đồng, đạt 57,8%' is 312 bn of
        the 540 bn allocated, and 57,8% is of that allocation, a plan ratio. None when the share disagrees: then the
        fraction is something else."""
        share = bare_ratio(self.low, self._percents(figure.end, self._tail_end(figure, sentence)), figure.end)
        if share is None:
            return ratios
        if abs(share - 100 * figure.value / figure.whole) > 0.5:
            return None
        return ratios if ratios.plan else replace(ratios, plan=((share, "plan", figure.end, figure.end),))

    def _percents(self, start: int, end: int) -> list[Amount]:
        return [amount for amount in self._amounts(start, end) if amount.unit == "percent"]

    def _tail_end(self, figure: _Figure, sentence: Sentence) -> int:
        """End the comparisons after a figure at the next phrase, the next non-percent amount or the sentence end."""
        reach = self._after(sentence, figure.end)
        ends = [reach]
        ends += [m.start for m in self._mentions(figure.end, reach) if m is not figure.mention][:1]
        ends += [a.start for a in self._amounts(figure.end, reach) if a.unit != "percent"][:1]
        ends += [m.start() for m in _TARGET_MARKER.finditer(self.low, figure.end, reach)][:1]
        return min(ends)

    def _period(self, figure: _Figure, window_start: int, walk: _Walk) -> _Period:
        """Take the period written in the figure's clause before it, or right after it; else the clause's previous
        figure's; else the one the paragraph set; else the paragraph's previous figure's; else, for amounts and
        shares but not counts (counts are often the month's), the one an earlier paragraph set, or the article's."""
        before = chain(reversed(walk.clause_facts), reversed(walk.paragraph_facts))
        earlier = (_Period(fact.as_of, fact.period) for fact in before)
        own = self._periods(window_start, figure.start)
        if own:
            return self._written(own[-1], earlier)
        after = max(figure.end, figure.mention.end)
        trailing = [p for p in self._periods(after, after + 60) if self._trails(after, p)]
        if trailing:
            return self._written(trailing[0], earlier)
        if walk.clause_facts:
            return _Period(walk.clause_facts[-1].as_of, walk.clause_facts[-1].period)
        if walk.scene is not None:
            return self._settle(walk.scene)
        previous = [fact for fact in walk.paragraph_facts if fact.period != "other"]
        if previous:
            return _Period(previous[-1].as_of, previous[-1].period)
        if figure.unit != "count" and (walk.running or self.article_scene) is not None:
            return self._settle(walk.running or self.article_scene)
        return _NO_PERIOD

    def _trails(self, figure_end: int, period: PeriodMention) -> bool:
        """Tell whether a period written after a figure is the figure's own."""
        if period.start - figure_end <= 25 and _TRAILING_GAP.fullmatch(self.low, figure_end, period.start):
            return True
        object_words = _OBJECT_BEFORE_CUT_OFF.fullmatch(self.low, figure_end, period.start)
        return period.kind == "cutoff" and object_words is not None

    def _written(self, mention: PeriodMention, earlier: Iterable[_Period]) -> _Period:
        """Settle a period written with a figure, given the periods of the paragraph's figures before it, latest first.

        'Trong tháng' and 'từ đầu năm (đến nay)' refer to the time reported on, which a figure before them tells best
        ('Quận cấp 10 GPXD trong tháng 2. Cũng trong tháng, …' -> February; 'trong tháng 6 cấp 22 GPXD, nâng tổng số
        từ đầu năm lên 144' -> to June); else the article's cut-off tells it (see _reported_cut_offs).
        """
        if mention.kind == "month" and mention.month is None:
            told = next((period for period in earlier if period.code == mention.period and period.as_of), None)
            if told:
                return told
        if mention.kind == "since_start":
            told = next((period for period in earlier if period.code in ("month", "ytd") and period.as_of), None)
            if told:
                return _Period(told.as_of, "ytd")
        return self._settle(mention)

    def _settle(self, mention: PeriodMention) -> _Period:
        reported = self.reported[bisect_left(self.period_starts, mention.start)]
        return _Period(mention.as_of(self.published, self.year, reported), mention.period)

    def _reported_cut_offs(self, title_periods: list[PeriodMention]) -> list[date | None]:
        """For each period of the text, the cut-off the article reports to, which 'trong tháng' and 'từ đầu năm đến
        nay' refer to: the last one stated before it, else the title's, else the text's first ('lũy kế 11 tháng ….
        Trong tháng, cấp 34 GPXD' -> November). Years and 'từ đầu năm' itself do not state one."""
        cut_offs = [p.as_of(self.published, self.year) if p.reports_a_month else None for p in self.periods]
        titled = [p.as_of(self.published, self.year) for p in title_periods if p.reports_a_month]
        last = next((day for day in titled + cut_offs if day is not None), None)
        reported = []
        for cut_off in cut_offs:
            reported.append(last)
            last = cut_off or last
        return reported + [last]

    def _follow_up(self, figure: _Figure, sentence: Sentence, period: _Period) -> tuple[_Figure, _Period, int] | None:
        """Read the plan amount or the cumulative figure written right after a figure, as a fact of the same metric.

        'đã đạt 1.073 tỷ đồng so với kế hoạch được giao là 982,8 tỷ đồng' -> the year's plan, 982.8 bn (a target);
        'tháng 10 ước đạt 500 tỷ, lũy kế 10 tháng đạt 4.500 tỷ' -> the cumulative, 4,500 bn to October;
        '…; riêng tháng 10 thu 1.120 tỷ' -> October's own 1,120 bn;
        'trong tháng 6 cấp 22 GPXD, nâng tổng số giấy phép cấp từ đầu năm lên 144 giấy phép' -> 144 to June.
        """
        after = max(figure.end, figure.mention.end)
        moved = self._next_value(figure, after, self._after(sentence, after))
        if moved is None:
            return None
        if figure.unit == "VND" and _PLAN_AMOUNT_LEAD.fullmatch(self.low, figure.end, moved.start):
            year_end = date(period.as_of.year, 12, 31) if period.as_of else None
            return replace(moved, is_target=True), _Period(year_end, "year"), moved.start
        lead = _OTHER_PERIOD_LEAD.search(self.low[after:moved.start])
        periods = self._periods(after + lead.start(), moved.start) if lead else []
        if not periods:
            return None
        own = self._written(periods[-1], [period])
        estimated = "estimate" if figure.qualifier == "estimate" else None  # 'gần', 'hơn' qualify one number only
        return replace(moved, qualifier=moved.qualifier or estimated), own, after + lead.start()

    def _next_value(self, figure: _Figure, start: int, end: int) -> _Figure | None:
        """Move a figure to the next value of its kind: the next amount after money, a restated count after a count."""
        if figure.unit == "count":
            count = find_restated_count(self.low, figure.metric, start, end)
            if count is None or any(m.count_start == count.count_start for m in self._mentions(start, end)):
                return None  # none, or one that names its metric and is a figure of its own
            return replace(figure, value=count.count, qualifier=count.qualifier, start=count.count_start,
                           end=count.count_end, whole=None)
        following = [a for a in self._amounts(start, end) if a.unit != "percent"][:1]
        if figure.unit != "VND" or not following or following[0].unit != "VND" or following[0].issue:
            return None
        amount = following[0]
        return replace(figure, value=int(amount.value), qualifier=amount.qualifier, start=amount.start, end=amount.end,
                       whole=None)

    def _fact(self, figure: _Figure, owner: Place, period: _Period, ratios: Ratios, evidence: tuple[int, int]) -> Fact:
        future = period.as_of is not None and self.published is not None and period.as_of.year > self.published.year
        plan = tuple(PlanRatio(pct, baseline, self._original(start, end)) for pct, baseline, start, end in ratios.plan)
        return Fact(
            district=owner.name, metric=figure.metric, value=figure.value, unit=figure.unit,
            qualifier=figure.qualifier, as_of=period.as_of, period=period.code,
            pct_of_plan=plan[0].pct if plan else None, plan_ratios=plan,
            pct_of_same_period=ratios.same_period, growth_pct=ratios.growth, is_target=figure.is_target or future,
            evidence=self._original(*evidence), start=self._position(evidence[0]), end=self._position(evidence[1]),
        )

    def _position(self, index: int) -> int:
        return self.origin[index] if self.origin is not None else index

    def _original(self, start: int, end: int) -> str:
        return self.original[self._position(start):self._position(end)]


def _deduplicate(facts: list[Fact]) -> list[Fact]:
    """Merge repeated mentions of one figure (a headline rounding the body's, a duplicated paragraph).

    Same district, metric, period and target flag, values within 3 %: the most precisely written one stays.
    """
    kept: list[Fact] = []
    by_key: dict[tuple, list[int]] = {}
    for fact in facts:
        same_key = by_key.setdefault((fact.district, fact.metric, fact.period, fact.as_of, fact.is_target), [])
        twin = next((index for index in same_key if _same_value(fact, kept[index])), None)
        if twin is None:
            same_key.append(len(kept))
            kept.append(fact)
        elif _detail(fact) > _detail(kept[twin]):
            kept[twin] = fact
    return kept


def _same_value(one: Fact, other: Fact) -> bool:
    if one.unit == "percent":
        return abs(one.value - other.value) < 0.01
    larger = max(abs(one.value), abs(other.value))
    return larger == 0 or abs(one.value - other.value) / larger <= 0.03


def _detail(fact: Fact) -> tuple[int, int]:
    digits = len(str(fact.value).strip("0").replace(".", ""))
    ratios = len(fact.plan_ratios) + (fact.pct_of_same_period is not None) + (fact.growth_pct is not None)
    return digits, ratios
