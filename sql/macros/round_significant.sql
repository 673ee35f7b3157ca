-- round_significant: a number rounded to `digits` significant digits, for figures the checks derive (an implied plan,
-- a median): round_significant(1971001080302.48, 5) = 1971000000000; round_significant(0, 5) = 0.
create or replace macro round_significant(x, digits) as
    coalesce(round(cast(x as double), cast(digits - 1 - floor(log10(nullif(abs(x), 0))) as integer)), cast(x as double));
