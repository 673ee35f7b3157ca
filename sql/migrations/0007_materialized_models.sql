-- 0007_materialized_models: what the tables of materialized models were computed from (warehouse/materialize.py).
-- A view file headed `-- materialized: table ordered by …` is stored as a table; a refresh recomputes only the
-- districts whose observations changed since, so it needs each table's SQL and each district's fingerprint.
-- Plain tables, no keys or sequences: a DuckLake catalog has none.

create table materialized_models (
    model              varchar not null,     -- the table, named like its view file
    position           integer not null,     -- refreshed in this order: a table after those it reads
    definition_sha256  varchar not null,     -- of its SQL and of every view it reads from: a change rebuilds it
    select_sql         varchar not null,     -- the view file's query as the last `init` installed it
    order_by           varchar not null,     -- the columns the rows are stored in order of
    rows_appended      bigint not null,      -- rows appended out of order since it was last written in full
    refreshed_at       timestamptz not null
);

create table materialized_inputs (
    unit_id      varchar,                    -- the district: its unit, or for a unit outside the gazetteer
    district     varchar,                    -- (unit_id null) its name as written
    fingerprint  ubigint not null            -- hash of all its observations and the reference tables, when last computed
);
