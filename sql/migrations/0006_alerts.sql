-- 0006_alerts: data-quality checks (sql/checks) and the alerts they raise, so people are told once, clearly, on the
-- channel they watch when figures are late, wrong or suspicious. See README "Data-quality checks and alerts".

-- Days a district's series may lag the newest figure in the warehouse before the freshness check calls it late
-- (contracts/reference/metrics.toml, seeded by `dkpi init`).
alter table dim_metric add column freshness_days integer;

-- One row per check per run_checks run: how long it took, how many offending rows it returned, or why it failed.
create table dq_check_runs (
    run_id       varchar not null,           -- one run of the checks
    check_name   varchar not null,           -- sql/checks/<check_name>.sql
    flow_run_id  varchar,                    -- the Prefect flow run, when run by one
    started_at   timestamptz not null,
    duration_ms  double not null,
    rows_found   integer,                    -- offending rows; null when the check itself failed
    error        varchar,                    -- the check's own failure (SQL error, broken result contract), naming the file
    primary key (run_id, check_name)
);

-- One alert per fingerprint: the check and what it is about (district, metric, period, subject).
create table dq_alerts (
    alert_id              varchar primary key,   -- md5 of the fingerprint; `dkpi ack` takes any unique prefix
    check_name            varchar not null,
    district              varchar,
    metric                varchar,
    period                date,                  -- month_start of the month concerned; null for a whole series
    subject               varchar,               -- what else tells alerts apart: a file, an article, a basis
    severity              varchar not null check (severity in ('info', 'warning', 'critical')),
    message               varchar not null,      -- in Vietnamese, naming the figures, months and sources (latest run)
    details               json,                  -- values, URLs, file and row (latest run)
    status                varchar not null check (status in ('open', 'acknowledged', 'resolved')),
    first_seen_at         timestamptz not null,
    last_seen_at          timestamptz not null,  -- the last run in which the check returned the row
    occurrences           integer not null,      -- runs in which the check returned the row
    resolved_at           timestamptz,           -- when the check last passed for it (null while open or acknowledged)
    acknowledged_at       timestamptz,
    acknowledged_by       varchar,
    acknowledgement_note  varchar,
    last_notified_at      timestamptz,           -- when every channel of its route last had its state
    last_notified_state   varchar                -- what they were told: 'open:warning', 'open:critical', 'resolved'
);

-- Every delivery of a notification to a channel, successful or not. Errors are redacted: never a webhook's path or
-- token, never a password.
create table dq_deliveries (
    alert_id      varchar not null,
    notification  varchar not null,          -- key of one notification; a failed channel retries it at the next run
    channel       varchar not null check (channel in ('log', 'webhook', 'email')),
    event         varchar not null check (event in ('firing', 'reminder', 'resolved')),
    attempted_at  timestamptz not null,
    attempts      integer not null,          -- tries within this run (retries on connection errors, 429 and 5xx)
    success       boolean not null,
    error         varchar
);
