{#
  Age band of a person born on `birth_date` as of `as_of_date`, in the bands the
  population dashboards use: 0-14, 15-24, 25-34, 35-44, 45-54, 55-64, 65+.

  Age is whole calendar months elapsed divided by 12, rounded down. For an
  `as_of_date` that is the last day of a month (as in the monthly mart) this is
  the exact age in completed years; the one simplification is that a person
  born on 29 February counts a year older on 28 February in common years.
#}
{% macro age_band(birth_date, as_of_date) -%}
    case
        when {{ birth_date }} is null or {{ as_of_date }} is null then null
        when floor({{ dbt.datediff(birth_date, as_of_date, 'month') }} / 12.0) < 15 then '0-14'
        when floor({{ dbt.datediff(birth_date, as_of_date, 'month') }} / 12.0) < 25 then '15-24'
        when floor({{ dbt.datediff(birth_date, as_of_date, 'month') }} / 12.0) < 35 then '25-34'
        when floor({{ dbt.datediff(birth_date, as_of_date, 'month') }} / 12.0) < 45 then '35-44'
        when floor({{ dbt.datediff(birth_date, as_of_date, 'month') }} / 12.0) < 55 then '45-54'
        when floor({{ dbt.datediff(birth_date, as_of_date, 'month') }} / 12.0) < 65 then '55-64'
        else '65+'
    end
{%- endmacro %}
