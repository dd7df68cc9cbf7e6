-- A row's previous-month and year-ago counts repeat another row's count: they
-- must show what that row shows, hidden where it is hidden, or the repeat
-- would give back a count suppression hid. Any row returned differs from the
-- month it repeats.

{% for lag_months, column in [(1, 'previous_month_incident_count'), (12, 'same_month_last_year_incident_count')] %}
select
    later.place_key,
    later.category_code,
    later.month_start_date,
    '{{ column }}' as repeated_as
from {{ ref('mart_security_trend_monthly') }} as later
inner join {{ ref('mart_security_trend_monthly') }} as earlier
    on earlier.place_key = later.place_key
    and earlier.category_code = later.category_code
    and earlier.month_start_date = cast({{ dbt.dateadd('month', -lag_months, 'later.month_start_date') }} as date)
where (earlier.incident_count is null and later.{{ column }} is not null)
    or (earlier.incident_count is not null and later.{{ column }} is not null and earlier.incident_count <> later.{{ column }})
{% if not loop.last %}union all{% endif %}
{% endfor %}
