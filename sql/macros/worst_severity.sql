-- worst_severity: the gravest severity in a list, for a check that groups several findings into one alert:
-- worst_severity(['info', 'critical', 'warning']) = 'critical'; worst_severity(['info']) = 'info'. Used by the
-- data-quality checks (sql/checks).
create or replace macro worst_severity(severities) as
    case
        when list_contains(severities, 'critical') then 'critical'
        when list_contains(severities, 'warning') then 'warning'
        else 'info'
    end;
