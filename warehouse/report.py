"""Read what the KPI report shows: each series with its comparisons, the observations behind it, open alerts."""

from __future__ import annotations

from datetime import date, datetime

import duckdb

from warehouse.read import QueryResult, query

# Chosen roles of kpi_lineage, in the order a reader follows a figure back to its sources.
ROLE_ORDER = ("month_figure", "cumulative_figure", "previous_ytd", "summed_month", "annual_plan")


def series_filter(
    *,
    unit_id: str | None = None,
    district: str | None = None,
    month_from: date | None = None,
    month_to: date | None = None,
) -> tuple[list[str], list]:
    """Return the conditions and parameters selecting series by unit id (else district name) and month range."""
    wanted = {"unit_id = ?": unit_id, "district = ?": district if unit_id is None else None,
              "month_start >= ?": month_from, "month_start <= ?": month_to}
    conditions = [condition for condition, value in wanted.items() if value is not None]
    return conditions, [value for value in wanted.values() if value is not None]


def where(conditions: list[str]) -> str:
    """Join conditions into a WHERE clause: [] -> '', ['a', 'b'] -> 'where a and b'."""
    return f"where {' and '.join(conditions)}" if conditions else ""


def report_months(
    con: duckdb.DuckDBPyConnection,
    *,
    unit_id: str | None = None,
    district: str | None = None,
    month_from: date | None = None,
    month_to: date | None = None,
) -> QueryResult:
    """Select every month of every series (kpi_monthly) with its changes (kpi_mom, kpi_yoy), its progress against
    plan (kpi_plan_progress), the metric's Vietnamese label and the unit's full name.

    One row per district × metric × month_start, gaps included; filtered by unit id or district name and months.
    """
    conditions, params = series_filter(unit_id=unit_id, district=district, month_from=month_from, month_to=month_to)
    selected = where(conditions)
    # The filter is repeated in each view's CTE: the views compute per series, and a filter on the outer join
    # would not reach inside them.
    sql = f"""
        with monthly as (select * from kpi_monthly {selected}),
        mom as (select unit_id, district, metric, month_start, mom_change, mom_pct from kpi_mom {selected}),
        yoy as (select unit_id, district, metric, month_start, yoy_pct, ytd_yoy_pct from kpi_yoy {selected}),
        plan as (
            select unit_id, district, metric, month_start, annual_plan, annual_plan_source, pct_of_plan,
                pct_of_year_elapsed
            from kpi_plan_progress {selected}
        )
        select
            monthly.district,
            monthly.unit_id,
            units.full_name as unit_full_name,
            monthly.metric,
            metrics.label_vi as metric_label,
            monthly.unit,
            coalesce(metrics.is_additive, false) as is_additive,
            monthly.month_start,
            monthly.as_of,
            monthly.is_partial_month,
            monthly.value,
            monthly.ytd_value,
            mom.mom_change,
            mom.mom_pct,
            yoy.yoy_pct,
            yoy.ytd_yoy_pct,
            plan.annual_plan,
            plan.annual_plan_source,
            plan.pct_of_plan,
            plan.pct_of_year_elapsed,
            monthly.source_kind,
            monthly.is_estimate,
            monthly.is_preliminary,
            monthly.is_approximate
        from monthly
        left join dim_metric as metrics on metrics.metric = monthly.metric
        left join dim_unit as units on units.unit_id = monthly.unit_id
        left join mom
            on mom.unit_id is not distinct from monthly.unit_id and mom.district = monthly.district
            and mom.metric = monthly.metric and mom.month_start = monthly.month_start
        left join yoy
            on yoy.unit_id is not distinct from monthly.unit_id and yoy.district = monthly.district
            and yoy.metric = monthly.metric and yoy.month_start = monthly.month_start
        left join plan
            on plan.unit_id is not distinct from monthly.unit_id and plan.district = monthly.district
            and plan.metric = monthly.metric and plan.month_start = monthly.month_start
        order by monthly.district, monthly.unit_id, monthly.metric, monthly.month_start
    """
    return query(con, sql, params * 4)


def report_sources(
    con: duckdb.DuckDBPyConnection,
    *,
    unit_id: str | None = None,
    district: str | None = None,
    month_from: date | None = None,
    month_to: date | None = None,
) -> QueryResult:
    """Select the observations each month of each series rests on (kpi_lineage, chosen ones), with the sheet of a
    department file and the title and publication date of a news article.

    One row per district × metric × month_start × observation × role, in ROLE_ORDER within a month.
    """
    conditions, params = series_filter(unit_id=unit_id, district=district, month_from=month_from, month_to=month_to)
    roles = ", ".join(f"'{role}'" for role in ROLE_ORDER)
    sql = f"""
        with lineage as (
            select * from kpi_lineage {where([*conditions, 'is_chosen'])}
        )
        select
            lineage.district,
            lineage.unit_id,
            lineage.metric,
            lineage.month_start,
            lineage.role,
            lineage.obs_id,
            lineage.source_kind,
            lineage.basis,
            lineage.as_of,
            lineage.value,
            lineage.unit,
            lineage.qualifier,
            lineage.is_preliminary,
            lineage.is_estimate,
            lineage.annual_plan,
            lineage.source_name,
            observations.source_sheet,
            lineage.source_row,
            lineage.source_column,
            lineage.evidence,
            articles.title as article_title,
            articles.published as article_published
        from lineage
        join observations using (obs_id)
        left join news_articles as articles
            on lineage.source_kind = 'news' and articles.url = lineage.source_name and articles.superseded_by is null
        order by lineage.district, lineage.unit_id, lineage.metric, lineage.month_start,
            list_position([{roles}], lineage.role), lineage.as_of, lineage.obs_id
    """
    return query(con, sql, params)


def open_alerts(con: duckdb.DuckDBPyConnection) -> QueryResult | None:
    """Select the data-quality alerts not resolved or closed (table dq_alerts, written by the checks); None when the
    warehouse has no such table (the checks never ran, or predate it).

    Every column of the table is returned, so the report shows what the checks record without this query having
    to follow each column they add.
    """
    columns = {
        name for (name,) in con.execute(
            "select column_name from information_schema.columns "
            "where table_name = 'dq_alerts' and table_schema = current_schema()"
        ).fetchall()
    }
    if not columns:
        return None
    unresolved = ["status is null or lower(status) not in ('resolved', 'closed')"] if "status" in columns else []
    return query(con, f"select * from dq_alerts {where(unresolved)}")


def last_loaded_at(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """When the latest current figure was loaded: how fresh the warehouse is."""
    return con.execute("select max(loaded_at) from observations where superseded_by is null").fetchone()[0]
