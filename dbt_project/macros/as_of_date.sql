{#
  The date the bridges call "now": var('as_of_date') when set (YYYY-MM-DD),
  else the day of the latest extraction of any register a bridge is built
  from. Following the data rather than today's date keeps a rebuild of old
  deliveries reproducible, as int_population_months_spined does for months.
  Returns a scalar SQL expression.
#}
{% macro as_of_date() -%}
    {%- if var('as_of_date', none) -%}
        cast('{{ var("as_of_date") }}' as date)
    {%- else -%}
        (
            select cast(max(extracted_at) as date)
            from (
                {%- for model in [
                    'stg_police__household_residents', 'stg_police__floating_residents',
                    'stg_housing__house_units', 'stg_housing__rental_registrations',
                    'stg_civil_affairs__organizations',
                ] %}
                select max(_extracted_at) as extracted_at from {{ ref(model) }}
                {{- " union all" if not loop.last }}
                {%- endfor %}
            ) as extractions
        )
    {%- endif -%}
{%- endmacro %}
