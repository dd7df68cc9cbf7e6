-- Police incidents by month, place and category, with the same place's and
-- category's count one month and twelve months earlier, so that a chart can
-- show the trend and the year-on-year change without window functions.
-- Categories roll up the same way: category_code `all` rows count every
-- category of the place, suppressed on their own.
-- Places roll up in rows of their own (place_level: district, street,
-- community, and grid where unit resolution placed the incident), each level suppressed on its own: a district's figure is not a
-- sum of its streets' shown figures, so suppression at street level does not
-- thin the district totals. Every count from 1 to var('min_cell_count') - 1 is
-- null (suppress_small_count).

-- Indexed on PostgreSQL by the dashboards' filters (district, street, month
-- range, and the place level every chart picks): a filtered chart reads its
-- rows, not the whole table. DuckDB scans by column and needs none.
{{ config(
    indexes=[{'columns': ['place_level', 'district_name', 'street_name', 'month_start_date']}] if target.type == 'postgres' else [],
) }}

with

incidents as (

    select * from {{ ref('int_incidents_placed') }}

),

counts as (

    {%- set place_columns = ['district_code', 'district_name', 'street_code', 'street_name', 'community_code', 'community_name', 'grid_code', 'grid_name'] %}
    {%- for level, depth in [('district', 2), ('street', 4), ('community', 6), ('grid', 8)] %}
    {%- set level_loop = loop %}
    {%- for by_category in [true, false] %}

    select
        month_start_date,
        '{{ level }}' as place_level,
        {%- for column in place_columns %}
        {% if loop.index <= depth %}{{ column }}{% else %}{{ dbt.cast('null', dbt.type_string()) }} as {{ column }}{% endif %},
        {%- endfor %}
        {% if by_category %}category_code{% else %}'all' as category_code{% endif %},
        count(*) as incident_count
    from incidents
    {%- if level == 'grid' %}
    where grid_code is not null
    {%- endif %}
    group by
        {%- for column in place_columns[:depth] %}
        {{ column }},
        {%- endfor %}
        {%- if by_category %}
        category_code,
        {%- endif %}
        month_start_date
    {% if not (loop.last and level_loop.last) %}union all{% endif %}
    {%- endfor %}
    {%- endfor %}

),

keyed as (

    select
        counts.*,
        {{ place_key('place_level', place_columns) }} as place_key
    from counts

),

months as (

    {{ month_spine(
        '(select min(month_start_date) from incidents)',
        '(select max(month_start_date) from incidents)'
    ) }}

),

places as (

    select distinct
        place_key,
        place_level,
        district_code,
        district_name,
        street_code,
        street_name,
        community_code,
        community_name,
        grid_code,
        grid_name,
        category_code
    from keyed

),

cells as (

    select
        months.month_start_date,
        places.place_key,
        places.place_level,
        places.district_code,
        places.district_name,
        places.street_code,
        places.street_name,
        places.community_code,
        places.community_name,
        places.grid_code,
        places.grid_name,
        places.category_code,
        coalesce(this_month.incident_count, 0) as incident_count,
        coalesce(previous_month.incident_count, 0) as previous_month_incident_count,
        coalesce(last_year.incident_count, 0) as same_month_last_year_incident_count,
        -- A comparison month before the first delivered month is unknown, not zero.
        cast({{ dbt.dateadd('month', -12, 'months.month_start_date') }} as date)
            >= (select min(month_start_date) from incidents) as has_last_year
    from months
    cross join places
    left join keyed as this_month
        on this_month.place_key = places.place_key
        and this_month.category_code = places.category_code
        and this_month.month_start_date = months.month_start_date
    left join keyed as previous_month
        on previous_month.place_key = places.place_key
        and previous_month.category_code = places.category_code
        and previous_month.month_start_date = cast({{ dbt.dateadd('month', -1, 'months.month_start_date') }} as date)
    left join keyed as last_year
        on last_year.place_key = places.place_key
        and last_year.category_code = places.category_code
        and last_year.month_start_date = cast({{ dbt.dateadd('month', -12, 'months.month_start_date') }} as date)

)

select
    {{ dbt.cast('month_start_date', 'date') }} as month_start_date,
    {{ dbt.cast('place_key', dbt.type_string()) }} as place_key,
    {{ dbt.cast('place_level', dbt.type_string()) }} as place_level,
    {%- for column in ['district_code', 'district_name', 'street_code', 'street_name', 'community_code', 'community_name', 'grid_code', 'grid_name'] %}
    {{ dbt.cast(column, dbt.type_string()) }} as {{ column }},
    {%- endfor %}
    {{ dbt.cast('category_code', dbt.type_string()) }} as category_code,
    {{ dbt.cast(suppress_small_count('incident_count'), dbt.type_bigint()) }} as incident_count,
    {{ dbt.cast(suppress_small_count('previous_month_incident_count'), dbt.type_bigint()) }} as previous_month_incident_count,
    {{ dbt.cast('case when has_last_year then ' ~ suppress_small_count('same_month_last_year_incident_count') ~ ' end', dbt.type_bigint()) }} as same_month_last_year_incident_count,
    {{ dbt.cast('incident_count > 0 and incident_count < ' ~ var('min_cell_count'), dbt.type_boolean()) }} as is_suppressed
from cells
where incident_count > 0
    or previous_month_incident_count > 0
    or same_month_last_year_incident_count > 0
