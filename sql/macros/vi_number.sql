-- vi_number: a number written the Vietnamese way, with at most `decimals` decimals and no trailing zeros:
-- vi_number(1094.694, 3) = '1.094,694'; vi_number(84.70, 2) = '84,7'; vi_number(1000, 0) = '1.000'.
-- Used by the data-quality checks (sql/checks) to name figures in their messages.
create or replace macro vi_number(x, decimals) as
    translate(
        regexp_replace(
            regexp_replace(format('{:,.' || decimals || 'f}', cast(x as double)), '(\.[0-9]*?)0+$', '\1'),
            '\.$', ''
        ),
        ',.', '.,'
    );
