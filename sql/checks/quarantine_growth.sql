-- quarantine_growth: Tệp phòng ban có thêm dòng bị cách ly, hoặc không nạp được (a department file quarantines more rows)
-- Purpose: the department file that currently stands for a report (the latest successful load of each submission:
--   department × district × report month; a file without one stands for itself) refused more rows than the load
--   before it from the same office (the previous report of the same department and district, or an earlier version
--   of the same report): the office's export broke or changed. A first file of its kind alerts only when more than
--   first_load_share of its rows are refused; a few planted bad rows are listed by `dkpi quarantine`, not alerted.
--   A file that could not be loaded at all (unreadable, or refused by --strict) until a later load of the same name
--   succeeded alerts as well. Re-sending bytes already loaded changes nothing and is not a load. News articles are
--   left out: a fact the extractor cannot place is quarantined per sentence and says nothing about a source's health.
-- A row: one file (subject: its name) with the district it reports on and its report month (period).
-- Severity: critical when the file was not loaded at all or at least critical_share of its rows were refused;
--   else warning.
-- Parameters (params below): first_load_share (0.10), critical_share (0.5).
with params as (
    select 0.10 as first_load_share, 0.5 as critical_share
),
runs as (
    select
        *,
        -- the office that sends the report: the submission without its month, else the file itself
        coalesce(regexp_replace(submission, '\|[^|]*$', ''), 'file:' || source) as stream,
        rows_in - coalesce(rows_skipped, 0) as rows_with_figures
    from load_runs
    where flow = 'ingest_departments'
),
loaded as (
    select
        *,
        lag(source) over stream_order as prev_source,
        lag(rows_quarantined) over stream_order as prev_quarantined,
        lag(report_period) over stream_order as prev_period,
        row_number() over (partition by stream, report_period order by started_at desc) as recency
    from runs
    where status = 'success'
    window stream_order as (partition by stream order by started_at)
),
grown as (
    select loaded.*, rows_quarantined / nullif(rows_with_figures, 0) as share
    from loaded, params
    where recency = 1
        and (rows_quarantined > prev_quarantined
             or (prev_quarantined is null and rows_quarantined > first_load_share * rows_with_figures)
             or rows_quarantined >= critical_share * rows_with_figures)
        and rows_quarantined > 0
),
refused as (
    -- the latest attempt at a file name failed: nothing of it is in the warehouse
    select *
    from runs
    qualify row_number() over (partition by source order by started_at desc) = 1 and status = 'failed'
),
districts as (
    select load_id, if(count(distinct district) = 1, any_value(district), null) as district
    from observations
    where load_id in (select load_id from grown)
    group by load_id
),
rules as (
    select load_id, list({'rule': rule, 'rows': rows} order by rows desc, rule) as rules
    from (
        select load_id, rule, count(distinct (source_sheet, row_number, source_column)) as rows
        from quarantine
        where severity = 'error' and load_id in (select load_id from grown union all select load_id from refused)
        group by load_id, rule
    )
    group by load_id
)
select
    coalesce(units.name, districts.district) as district,
    cast(null as varchar) as metric,
    grown.report_period as period,
    grown.source as subject,
    if(share >= params.critical_share, 'critical', 'warning') as severity,
    'Tệp ' || grown.source || coalesce(' (' || grown.department || ')', '')
        || coalesce(', kỳ ' || strftime(grown.report_period, '%m/%Y'), '')
        || ': ' || rows_quarantined || '/' || rows_with_figures || ' dòng bị cách ly'
        || ' (' || vi_number(100 * share, 1) || ' %)'
        || coalesce(', tăng từ ' || prev_quarantined || ' dòng ở tệp trước (' || prev_source || ')',
                    ', tệp đầu tiên của nguồn này')
        || '. Xem: dkpi quarantine --file ' || grown.source || ' (the file has more quarantined rows)' as message,
    {
        'load_id': grown.load_id, 'file': grown.source, 'department': grown.department,
        'rows_quarantined': rows_quarantined, 'rows_with_figures': rows_with_figures,
        'previous_file': prev_source, 'previous_rows_quarantined': prev_quarantined, 'rules': rules.rules
    } as details
from grown
cross join params
left join districts using (load_id)
left join dim_unit as units on units.unit_id = split_part(grown.submission, '|', 2)
left join rules using (load_id)
union all
select
    cast(null as varchar) as district,
    cast(null as varchar) as metric,
    refused.report_period as period,
    refused.source as subject,
    'critical' as severity,
    'Tệp ' || refused.source || ' không được nạp: ' || coalesce(refused.message, 'không rõ lý do')
        || '. Xem: dkpi quarantine --file ' || refused.source || ' (the file was not loaded)' as message,
    {
        'load_id': refused.load_id, 'file': refused.source, 'department': refused.department,
        'rows_quarantined': refused.rows_quarantined, 'rows_with_figures': refused.rows_with_figures,
        'previous_file': null, 'previous_rows_quarantined': null, 'rules': rules.rules
    } as details
from refused
left join rules using (load_id)
order by all;
