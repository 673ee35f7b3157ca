"""dkpi explain: how one KPI figure was made, down to the file row or the article sentence it came from."""

from __future__ import annotations

from typing import Any

from flows.commands._shared import UserError, district_filter, metric_code, month, settings

KPI_VIEWS = ("kpi_monthly", "kpi_mom", "kpi_yoy", "kpi_plan_progress", "kpi_lineage")
QUALIFIERS = {"more_than": "hơn ", "about": "khoảng ", "estimate": "ước "}
VALUE_METHODS = {
    "month_figure": "the month's own figure",
    "cumulative_figure": "the cumulative figure as it is (January, or a share)",
    "differenced": "this month's cumulative figure − the year to date at the end of the previous month",
}
YTD_METHODS = {
    "cumulative_figure": "the cumulative figure",
    "summed_months": "the sum of the year's month values up to this month",
    "cumulative_plus_months": "an earlier cumulative figure of the year + the month values since",
}


def register(subparsers) -> None:
    parser = subparsers.add_parser("explain", help="trace one KPI figure to the observations and sources behind it")
    parser.add_argument("--district", required=True, help="district name ('Thanh Xuân', 'quan thanh xuan') or unit id")
    parser.add_argument("--metric", required=True, help="metric code or label ('budget_revenue', 'Thu NSNN')")
    parser.add_argument("--month", required=True, type=month, metavar="YYYY-MM")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from warehouse import Warehouse, WarehouseError

    filters = {**district_filter(args.district), "metric": metric_code(args.metric)}
    filters.update(month_from=args.month, month_to=args.month)
    try:
        with Warehouse(settings(args).warehouse, read_only=True) as wh:
            wh.require_schema()
            rows = {view: _records(wh.kpi(view, **filters)) for view in KPI_VIEWS}
    except WarehouseError as error:
        raise UserError(str(error)) from None
    if not rows["kpi_monthly"]:
        raise UserError(
            f"no kpi_monthly row for {args.district}, {filters['metric']}, {args.month:%Y-%m}: "
            "the series has no figure in or around that month (see `dkpi kpi --view monthly`)"
        )
    print(explanation(rows), end="")
    return 0


def explanation(rows: dict[str, list[dict[str, Any]]]) -> str:
    """Write the chain for one district, metric and month: the KPI figures, then every observation behind them."""
    monthly = rows["kpi_monthly"][0]
    unit = monthly["unit"]
    lines = [
        f"{monthly['metric']} · {monthly['district']}"
        + (f" ({monthly['unit_id']})" if monthly["unit_id"] else " (outside the gazetteer)")
        + f" · {monthly['month_start']:%Y-%m}",
        "",
        f"  value       {_derived(monthly['value'], unit, VALUE_METHODS.get(monthly['value_method']))}",
        f"  ytd_value   {_derived(monthly['ytd_value'], unit, YTD_METHODS.get(monthly['ytd_method']))}",
        "  source      "
        + (f"{monthly['source_kind']}, figures as of {monthly['as_of']}" if monthly["is_reported"] else "none: a gap month"),
        f"  flags       {_flags(monthly)}",
    ]
    lines += _comparisons(rows)
    lines += ["", "  observations (+ used, - not used):"]
    lineage = sorted(rows["kpi_lineage"], key=lambda r: (not r["is_chosen"], r["observation_month_start"], r["role"]))
    for row in lineage:
        lines += _observation(row)
    if not lineage:
        lines.append("    none")
    return "\n".join(lines) + "\n"


def _comparisons(rows: dict[str, list[dict[str, Any]]]) -> list[str]:
    lines = []
    for mom in rows["kpi_mom"]:
        lines.append(
            f"  vs month    previous {_amount(mom['prev_value'], mom['unit'])}, change {_amount(mom['mom_change'], mom['unit'])}"
            f" ({_pct(mom['mom_pct'])}); year to date {_pct(mom['ytd_mom_pct'])}"
        )
    for yoy in rows["kpi_yoy"]:
        lines.append(
            f"  vs year     {_pct(yoy['yoy_pct'])} ({yoy['yoy_source'] or 'unknown'});"
            f" year to date {_pct(yoy['ytd_yoy_pct'])} ({yoy['ytd_yoy_source'] or 'unknown'})"
        )
    for plan in rows["kpi_plan_progress"]:
        lines.append(
            f"  vs plan     annual plan {_amount(plan['annual_plan'], plan['unit'])} ({plan['annual_plan_source'] or 'unknown'}):"
            f" {_pct(plan['pct_of_plan'])} of plan ({plan['pct_of_plan_source'] or 'unknown'}),"
            f" {_pct(plan['pct_of_year_elapsed'])} of the year elapsed;"
            f" {_amount(plan['required_monthly_run_rate'], plan['unit'])} a month still needed"
        )
    return lines


def _observation(row: dict[str, Any]) -> list[str]:
    mark = "+" if row["is_chosen"] else "-"
    what = row["role"] if row["is_chosen"] else f"not used: {row['reason']}"
    value = "only a percentage" if row["value"] is None else QUALIFIERS.get(row["qualifier"], "") + _amount(row["value"], row["unit"])
    ratios = ", ".join(
        text
        for text, present in (
            (f"{_pct(row['pct_of_plan'])} of plan", row["pct_of_plan"] is not None),
            (f"{_pct(row['pct_of_same_period'])} of the same period", row["pct_of_same_period"] is not None),
            (f"plan {_amount(row['annual_plan'], row['unit'])}", row["annual_plan"] is not None),
        )
        if present
    )
    flags = [name for name in ("is_preliminary", "is_estimate", "is_target") if row[name]]
    lines = [
        f"    {mark} {what:<30} {row['observation_month_start']:%Y-%m} {row['basis']:<9} {value}"
        + (f" ({ratios})" if ratios else "")
        + f", as of {row['as_of']}"
        + (f" [{', '.join(flag.removeprefix('is_') for flag in flags)}]" if flags else "")
    ]
    if row["source_kind"] == "department":
        column = f", column {row['source_column']!r}" if row["source_column"] else ""
        lines.append(f"        file {row['source_name']}, row {row['source_row']}{column}")
    else:
        lines.append(f"        {row['source_name']}, characters {row['evidence_start']}–{row['evidence_end']}:")
        if row["evidence"]:
            lines.append(f"        \"{row['evidence']}\"")
    lines.append(
        f"        {row['obs_id']}, load {row['load_id']} at {row['loaded_at']:%Y-%m-%d %H:%M}"
        + (f", superseded by load {row['superseded_by']}" if row["superseded_by"] else "")
    )
    return lines


def _derived(value: float | None, unit: str, method: str | None) -> str:
    return "unknown" if value is None else f"{_amount(value, unit)}  = {method}"


def _flags(monthly: dict[str, Any]) -> str:
    flags = [
        text
        for text, present in (
            (f"partial month (to {monthly['as_of']})", monthly["is_partial_month"]),
            ("preliminary", monthly["is_preliminary"]),
            ("estimate", monthly["is_estimate"]),
            ("approximate (a lower bound or a round figure)", monthly["is_approximate"]),
        )
        if present
    ]
    return ", ".join(flags) or "none"


def _amount(value: float | None, unit: str) -> str:
    from sources.numbers import format_number

    if value is None:
        return "unknown"
    return f"{format_number(value)} {'%' if unit == 'percent' else unit}"


def _pct(value: float | None) -> str:
    from sources.numbers import format_number

    return "unknown" if value is None else f"{format_number(value, 2)} %"


def _records(result) -> list[dict[str, Any]]:
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]

