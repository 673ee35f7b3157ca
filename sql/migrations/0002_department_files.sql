-- 0002_department_files: department files as they really come. Which department and reporting period a file
-- is (so a corrected file replaces the earlier one's rows), which workbook sheet a figure came from, and the
-- rows that were skipped as structure (totals, headings) or empty cells, so every row of a file is accounted for.

alter table observations add column department varchar;     -- department code (contracts/mappings/*.toml or --department)
alter table observations add column submission varchar;     -- 'department|unit_id or *|YYYY-MM': a later file with the same
                                                            -- submission replaces every current row of the earlier one
alter table observations add column source_sheet varchar;   -- workbook sheet; null for CSV/TSV

alter table load_runs add column department varchar;
alter table load_runs add column submission varchar;
alter table load_runs add column report_period date;        -- the month a title line names, else the file's latest month
alter table load_runs add column rows_skipped bigint;       -- success: rows_in = rows_loaded + rows_quarantined + rows_skipped

alter table raw_files add column content_encoding varchar default 'identity';  -- identity | zstd (files over 16 MiB;
                                                            -- warehouse.loads.raw_content returns the bytes as received)

alter table quarantine add column source_sheet varchar;
alter table quarantine add column source_column varchar;    -- header of the figure's own column (a period in a wide layout)
alter table quarantine add column severity varchar default 'error';  -- error: not loaded | skipped: no figure (total,
                                                            -- heading, empty cell), not an error | warning: loaded, check it
alter table quarantine add column superseded_by varchar;    -- load_id of the corrected file that replaced this one
