"""stg_news_facts: the current news figures, each with its URL and sentence."""

from tests.support.observations import B, insert, news


def test_current_news_facts_only_with_url_and_sentence(wh):
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-10-31", 5_600 * B, superseded_by="article-v2")
    kept = news(
        wh.con, "Thanh Xuân", "budget_revenue", "2024-10-31", 5_606 * B, qualifier="more_than", pct_of_plan=84.72,
        pct_of_same_period=118.5, source_name="https://hanoimoi.vn/a", evidence="thu ngân sách hơn 5.606 tỷ đồng",
        evidence_start=120, evidence_end=151,
    )
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-10", 5_789 * B)
    assert wh.query(
        "select obs_id, district, as_of::varchar, value, qualifier, pct_of_plan, pct_of_same_period, url, evidence,"
        " evidence_start, evidence_end from stg_news_facts"
    ).rows == [
        (kept, "Thanh Xuân", "2024-10-31", 5_606 * B, "more_than", 84.72, 118.5, "https://hanoimoi.vn/a",
         "thu ngân sách hơn 5.606 tỷ đồng", 120, 151),
    ]


def test_a_known_unit_gets_its_canonical_name_an_unknown_one_keeps_its_own(wh):
    news(wh.con, "Q. Thanh Xuân", "budget_revenue", "2024-10-31", 1 * B, unit_id="hn-thanh-xuan")
    news(wh.con, "TP. Thủ Đức", "budget_revenue", "2024-10-31", 2 * B)
    assert wh.query("select unit_id, district from stg_news_facts order by value").rows == [
        ("hn-thanh-xuan", "Thanh Xuân"),
        (None, "TP. Thủ Đức"),
    ]


def test_only_a_percentage_keeps_a_null_value(wh):
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-10-31", None, pct_of_plan=84.72)
    assert wh.query("select value, pct_of_plan from stg_news_facts").rows == [(None, 84.72)]
