-- vi_period: the period a figure covers, in words: vi_period('ytd', date '2024-10-31') = 'lũy kế đến 31/10/2024';
-- vi_period('month', date '2024-11-30') = 'trong tháng 11/2024'. `kind` is a basis (observations.basis) or a period
-- kind (int_observations.period_kind: month | cumulative). Used by the data-quality checks (sql/checks).
create or replace macro vi_period(kind, as_of) as
    case kind
        when 'month' then 'trong tháng ' || strftime(as_of, '%m/%Y')
        when 'ytd' then 'lũy kế đến ' || strftime(as_of, '%d/%m/%Y')
        when 'cumulative' then 'lũy kế đến ' || strftime(as_of, '%d/%m/%Y')
        when 'quarter' then 'quý đến ' || strftime(as_of, '%d/%m/%Y')
        when 'half_year' then '6 tháng đến ' || strftime(as_of, '%d/%m/%Y')
        when 'year' then 'năm ' || year(as_of)
        else 'kỳ đến ' || strftime(as_of, '%d/%m/%Y')
    end;
