from datetime import UTC, date, datetime

from contracts.catalogue import gazetteer
from contracts.news import facts_frame, validate_news
from warehouse.news import ArticleVersion, Page, facts_fingerprint, load_article, stored_pages, validators

URL = "http://news.test/quan-tay-ho-thang-10.html"
SENTENCE = "Thu ngân sách của quận đến ngày 31-10-2024 đạt hơn 1.204,5 tỷ đồng, đạt 84,72% dự toán."


def fact(value=1_204_500_000_000, **changes):
    base = dict(
        district="Tây Hồ", metric="budget_revenue", value=value, unit="VND", qualifier="more_than",
        as_of="2024-10-31", period="ytd", pct_of_plan=84.72, plan_ratios=[{"pct": 84.72, "baseline": "plan"}],
        pct_of_same_period=None, growth_pct=None, is_target=False, evidence=SENTENCE, start=0, end=len(SENTENCE),
    )
    return {**base, **changes}


def page(body=b"<html>v1</html>", etag='"v1"'):
    return Page(URL, URL, 200, {"content-type": "text/html", "etag": etag}, "utf-8", datetime.now(UTC), body)


def load(wh, facts, text=SENTENCE, body=b"<html>v1</html>"):
    checked = validate_news(facts_frame(facts, published=date(2024, 11, 8), gazetteer=gazetteer()))
    article = ArticleVersion(URL, "Tây Hồ tháng 10", date(2024, 11, 8), text, ["Tây Hồ"], facts_fingerprint(facts))
    return load_article(wh.con, page(body), article, valid=checked.valid, rejected=checked.rejected, rows_in=checked.rows_in)


def current(wh):
    return wh.query(
        "select district, metric, value, month_start::varchar, as_of::varchar, basis, qualifier, pct_of_plan,"
        " source_name, evidence, evidence_start, evidence_end from observations"
        " where source_kind = 'news' and superseded_by is null"
    ).rows


def test_facts_load_with_their_provenance(wh):
    result = load(wh, [fact(), fact(value=-1)])
    assert (result.status, result.rows_in, result.rows_loaded, result.rows_quarantined) == ("success", 2, 1, 1)
    assert current(wh) == [(
        "Tây Hồ", "budget_revenue", 1_204_500_000_000, "2024-10-01", "2024-10-31", "ytd", "more_than", 84.72,
        URL, SENTENCE, 0, len(SENTENCE),
    )]
    assert wh.query("select rule, source_name from quarantine").rows == [("negative_value", URL)]
    assert wh.query("select plan_ratios->>'$[0].baseline' from observations").rows == [("plan",)]


def test_same_page_again_adds_nothing(wh):
    load(wh, [fact()])
    before = wh.query("select count(*) from observations").rows, wh.query("select count(*) from news_articles").rows
    assert load(wh, [fact()]).status == "unchanged"
    after = wh.query("select count(*) from observations").rows, wh.query("select count(*) from news_articles").rows
    assert before == after
    assert wh.query("select count(*) from raw_pages").rows == [(1,)]


def test_changed_article_replaces_its_facts_and_keeps_history(wh):
    load(wh, [fact(), fact(metric="construction_permits", value=68, unit="count", qualifier=None, pct_of_plan=None)])
    second = load(wh, [fact(value=1_300_000_000_000)], body=b"<html>v2</html>")
    assert [row[2] for row in current(wh)] == [1_300_000_000_000]
    history = wh.query("select version, superseded_by is null from news_articles order by version").rows
    assert history == [(1, False), (2, True)]
    assert wh.query("select count(*) from observations where superseded_by = ?", [second.load_id]).rows == [(2,)]
    assert wh.query("select count(*) from raw_pages").rows == [(2,)]


def test_validators_and_stored_pages_come_from_the_latest_fetch(wh):
    load(wh, [fact()])
    assert validators(wh.con, [URL, "http://other.test/"]) == {URL: ('"v1"', None)}
    pages = stored_pages(wh.con)
    assert [(p.url, p.body) for p in pages] == [(URL, b"<html>v1</html>")]
