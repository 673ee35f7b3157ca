"""Score the news fact extractor against an annotated corpus, with the rules of shared/corpus/README.md.

Usage: python benchmarks/extraction_eval.py [CORPUS_DIR] [--show-all]
       python benchmarks/extraction_eval.py --site samples/news_site
CORPUS_DIR defaults to the nearest shared/corpus/dev above the repository (../shared/corpus/dev).
--site scores the HTML pages of a sample site against its manifest.json (our own articles, written apart from
the extractor: a held-out check), reading each page as the news flow does.
Prints precision, recall, magnitude errors, as_of and pct_of_plan agreement, then the misses and wrong facts.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from contracts.catalogue import gazetteer, metric_catalogue  # noqa: E402
from sources.news import Fact, extract_text, split_header  # noqa: E402
from sources.text import fold  # noqa: E402

_TYPE_PREFIX = re.compile(r"^(?:quan|huyen|thi xa|thanh pho|tp|phuong|xa|thi tran|tinh|q|p)\s+")
# Centrally-run cities: a figure credited to one of them is neither right nor wrong (README).
_CENTRAL_CITIES = {"ha noi", "ho chi minh", "hcm", "tphcm", "da nang", "hai phong", "can tho", "hue"}


def default_corpus() -> Path | None:
    """Return the nearest shared/corpus/dev above the repository, as ../shared/corpus/dev is from a checkout."""
    for parent in REPO.parents:
        candidate = parent / "shared" / "corpus" / "dev"
        if candidate.is_dir():
            return candidate
    return None


def district_key(name: str | None) -> str:
    """Compare districts ignoring diacritics, case, type words and brackets: 'Quận Thanh Xuân' -> 'thanh xuan'."""
    if not name:
        return ""
    return _TYPE_PREFIX.sub("", " ".join(fold(name.split("(")[0]).replace(".", " ").split()))


def is_other_level(district: str) -> bool:
    """Tell whether an annotated district is a city, province or country total."""
    return "(" in district or district_key(district) in _CENTRAL_CITIES


def close(metric_unit: str, one: float, other: float, tolerance: float = 0.001) -> bool:
    """Same value by the README's tolerance: 0.1 % relative, or 0.01 for percentages."""
    if metric_unit == "percent":
        return abs(one - other) <= 0.01
    larger = max(abs(one), abs(other))
    return larger == 0 or abs(one - other) / larger <= tolerance


def is_magnitude_error(value: float, annotated: float) -> bool:
    """A value off by a power of 1,000 from an annotated one."""
    return any(close("VND", value, annotated * 1000**power) for power in (-4, -3, -2, -1, 1, 2, 3, 4))


@dataclass
class Score:
    right: int = 0
    wrong: int = 0
    neutral: Counter = field(default_factory=Counter)
    expected: int = 0
    magnitude_errors: list[str] = field(default_factory=list)
    as_of_agree: int = 0
    plan_agree: int = 0
    misses: list[str] = field(default_factory=list)
    mistakes: list[str] = field(default_factory=list)


def score_article(name: str, facts: list[Fact], annotations: list[dict], catalogue: set[str], score: Score) -> None:
    """Match one article's predicted facts to its annotations and add the counts to the score."""
    expected = [
        a for a in annotations
        if a["metric"] in catalogue and not a.get("is_target") and not a.get("not_expected")
        and not is_other_level(a["district"])
    ]
    score.expected += len(expected)
    matched: dict[int, Fact] = {}
    for fact in facts:
        same = [
            index for index, a in enumerate(annotations)
            if a["metric"] == fact.metric and district_key(a["district"]) == district_key(fact.district)
            and close(fact.unit, fact.value, a["value"])
        ]
        label = f"{name}: {fact.metric} {fact.district} {fact.value}{' (target)' if fact.is_target else ''} | {fact.evidence[:110]}"
        if fact.is_target:
            if any(annotations[index].get("is_target") for index in same):
                score.neutral["target recognised"] += 1
                continue
            score.wrong += 1
            score.mistakes.append(label)
            continue
        fresh = [index for index in same if annotations[index] in expected and index not in matched]
        if fresh:
            matched[fresh[0]] = fact
            score.right += 1
            annotation = annotations[fresh[0]]
            score.as_of_agree += (annotation["as_of"] or "")[:7] == (fact.as_of.isoformat() if fact.as_of else "")[:7]
            plan = annotation.get("pct_of_plan")
            score.plan_agree += (plan is None and fact.pct_of_plan is None) or (
                plan is not None and fact.pct_of_plan is not None and abs(plan - fact.pct_of_plan) <= 0.01)
            continue
        repeated = [
            a for a in expected
            if a["metric"] == fact.metric and district_key(a["district"]) == district_key(fact.district)
            and close(fact.unit, fact.value, a["value"], tolerance=0.03)
        ]
        if repeated:
            score.neutral["second mention"] += 1
        elif district_key(fact.district) in _CENTRAL_CITIES:
            score.neutral["central city"] += 1
        else:
            score.wrong += 1
            score.mistakes.append(label)
            if any(a["metric"] == fact.metric and is_magnitude_error(fact.value, a["value"]) for a in annotations):
                score.magnitude_errors.append(label)
    for index, annotation in enumerate(annotations):
        if annotation in expected and index not in matched:
            score.misses.append(
                f"{name}: {annotation['metric']} {annotation['district']} {annotation['value']} | {annotation['evidence'][:110]}"
            )


def read_published(value: str | None) -> date | None:
    """Read an index date; a month alone ('2018-12') stands for its last day, the latest the article can be."""
    if not value:
        return None
    if len(value) == 7:
        year, month = map(int, value.split("-"))
        following = date(year + (month == 12), month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1)
    return date.fromisoformat(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, help="corpus directory with articles/ and annotations.jsonl")
    parser.add_argument("--show-all", action="store_true", help="print every predicted fact")
    parser.add_argument("--site", type=Path, help="a sample site folder with manifest.json, scored instead of a corpus")
    args = parser.parse_args(argv)
    if args.site:
        return report(*score_site(args.site, args.show_all))
    corpus = args.corpus or default_corpus()
    if corpus is None or not (corpus / "annotations.jsonl").is_file():
        print(f"No annotated corpus at {corpus or '../shared/corpus/dev'}: nothing to evaluate.")
        return 1
    index = [json.loads(line) for line in (corpus / "articles_index.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    annotations = [json.loads(line) for line in (corpus / "annotations.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    catalogue = {metric.code for metric in metric_catalogue()}
    units = gazetteer()
    score = Score()
    for entry in index:
        header, body = split_header((corpus / "articles" / f"{entry['article']}.txt").read_text(encoding="utf-8"))
        article = extract_text(
            body, published=read_published(entry.get("pub_date")), gazetteer=units,
            title=header.get("title"), url=header.get("url") or entry.get("url"),
        )
        if args.show_all:
            for fact in article.facts:
                print(f"  {entry['article']}: {json.dumps(fact.to_dict(), ensure_ascii=False)}")
        score_article(entry["article"], article.facts, [a for a in annotations if a["article"] == entry["article"]], catalogue, score)
    return report(score, f"corpus: {corpus} ({len(index)} articles, {score.expected} expected figures)")


def score_site(site: Path, show_all: bool = False) -> tuple[Score, str]:
    """Score the manifest's article pages, each read from its HTML the way the news flow reads a fetched page."""
    from sources.fetch.charset import decode_body
    from sources.news import extract_html

    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    catalogue = {metric.code for metric in metric_catalogue()}
    score = Score()
    # Pages robots.txt keeps the fetcher from are never read by the flow, so they are not scored.
    pages = [
        page for page in manifest["pages"]
        if (page.get("facts") or page.get("non_facts")) and page.get("robots_allowed", True)
    ]
    for page in pages:
        body = (site / page["file"]).read_bytes()
        article = extract_html(decode_body(body, "text/html").text, url=page["path"], gazetteer=gazetteer())
        if show_all:
            for fact in article.facts:
                print(f"  {page['path']}: {json.dumps(fact.to_dict(), ensure_ascii=False)}")
        # Distractors and headline restatements are figures the page writes but no fact should come from.
        others = [
            {**a, "district": a.get("district") or "", "metric": a.get("metric") or "other", "not_expected": True}
            for a in page.get("non_facts", []) + page.get("repeated_mentions", [])
        ]
        annotations = page["facts"] + others
        score_article(page["path"], article.facts, annotations, catalogue, score)
    return score, f"site: {site} ({len(pages)} pages, {score.expected} expected figures)"


def report(score: Score, heading: str) -> int:
    """Print the score; exit status 0."""
    predicted = score.right + score.wrong
    print(heading)
    print(f"precision: {score.right / predicted if predicted else 0:.3f} ({score.right} right, {score.wrong} wrong;"
          f" neutral: {dict(score.neutral) or 0})")
    print(f"recall: {score.right / score.expected if score.expected else 0:.3f} ({score.right} of {score.expected})")
    print(f"magnitude errors: {len(score.magnitude_errors)}")
    if score.right:
        print(f"as_of month agreement: {score.as_of_agree / score.right:.3f} ({score.as_of_agree} of {score.right})")
        print(f"pct_of_plan agreement: {score.plan_agree / score.right:.3f} ({score.plan_agree} of {score.right})")
    for title, lines in (("misses", score.misses), ("wrong", score.mistakes), ("magnitude errors", score.magnitude_errors)):
        if lines:
            print(f"\n{title}:")
            print("\n".join(f"  {line}" for line in lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
