-- vi_figure: a figure as a report would write it, with its qualifier and unit: vi_figure(1421e9, 'VND', 'more_than')
-- = 'hơn 1.421 tỷ đồng'; vi_figure(57, 'count', null) = '57'; vi_figure(84.72, 'percent', null) = '84,72 %'.
-- Amounts of a billion đồng or more are written in tỷ (three decimals at most: 1.094,694 tỷ = 1.094 tỷ 694 triệu),
-- smaller ones in triệu or đồng. Used by the data-quality checks (sql/checks) to name figures in their messages.
create or replace macro vi_figure(x, unit, qualifier) as
    case qualifier when 'more_than' then 'hơn ' when 'about' then 'khoảng ' when 'estimate' then 'ước ' else '' end
    || case
        when x is null then '(không có số)'
        when unit = 'VND' and abs(x) >= 1e9 then vi_number(x / 1e9, 3) || ' tỷ đồng'
        when unit = 'VND' and abs(x) >= 1e6 then vi_number(x / 1e6, 3) || ' triệu đồng'
        when unit = 'VND' then vi_number(x, 0) || ' đồng'
        when unit = 'percent' then vi_number(x, 2) || ' %'
        else vi_number(x, 2)
    end;
