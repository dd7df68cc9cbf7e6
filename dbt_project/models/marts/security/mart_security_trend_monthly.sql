-- Police incidents by month, place and category, with the same place's and
-- category's count one month and twelve months earlier, so that a chart can
-- show the trend and the year-on-year change without window functions.
-- Categories roll up the same way: category_code `all` rows count every
-- category of the place, suppressed on their own.
-- Places roll up in rows of their own (place_level: district, street,
-- community, and grid where unit resolution placed the incident), each level suppressed on its own: a district's figure is not a
-- sum of its streets' shown figures, so suppression at street level does not
-- thin the district totals. Every count from 1 to var('min_cell_count') - 1 is
-- null (suppress_small_count), and so is any count the shown ones would give
-- back by subtraction (protect_hidden_cells), in its own row and where a later
-- row repeats it as a previous month or a year ago.

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

),

cells_long as (

    -- One row per shown-or-hidden count (zeros never hide), keyed by the
    -- equations the mart publishes: a district sums its streets, a street its
    -- communities, a community its grids (or more: not every incident has a
    -- grid), and an 'all' row its categories.
    {%- set month_text = dbt.cast('month_start_date', dbt.type_string()) %}
    {%- set hierarchies = {
        'in_district': ['street', 'district', ['category_code', 'district_code', 'district_name']],
        'in_street': ['community', 'street', ['category_code', 'district_code', 'district_name', 'street_code', 'street_name']],
        'in_community': ['grid', 'community', ['category_code', 'district_code', 'district_name', 'street_code', 'street_name', 'community_code', 'community_name']],
    } %}
    select
        {{ place_key(month_text, ['place_key', 'category_code']) }} as cell_id,
        'incidents' as measure,
        incident_count as cell_value,
        {{ suppress_small_count('incident_count') }} is null as is_hidden,
        cast(null as {{ dbt.type_string() }}) as link_key,
        {%- for name, (child_level, parent_level, group_columns) in hierarchies.items() %}
        case when place_level = '{{ child_level }}' then {{ place_key(month_text, group_columns) }} end as {{ name }}_child_key,
        case when place_level = '{{ parent_level }}' then {{ place_key(month_text, group_columns) }} end as {{ name }}_parent_key,
        {%- endfor %}
        case when category_code <> 'all' then {{ place_key(month_text, ['place_key']) }} end as in_categories_child_key,
        case when category_code = 'all' then {{ place_key(month_text, ['place_key']) }} end as in_categories_parent_key
    from cells
    where incident_count > 0

),

{{ protect_hidden_cells('cells_long', ['in_district', 'in_street', 'in_community', 'in_categories']) }},

shown as (

    -- A hidden count stays hidden where a later row repeats it as its
    -- previous month or its month a year ago.
    select
        cells.*,
        coalesce(this_month.is_hidden, false) as is_hidden,
        coalesce(previous_month.is_hidden, false) as previous_month_is_hidden,
        coalesce(last_year.is_hidden, false) as last_year_is_hidden
    from cells
    left join cells_long_protected as this_month
        on this_month.cell_id = {{ place_key(dbt.cast('cells.month_start_date', dbt.type_string()), ['cells.place_key', 'cells.category_code']) }}
    left join cells_long_protected as previous_month
        on previous_month.cell_id = {{ place_key(dbt.cast(dbt.cast(dbt.dateadd('month', -1, 'cells.month_start_date'), 'date'), dbt.type_string()), ['cells.place_key', 'cells.category_code']) }}
    left join cells_long_protected as last_year
        on last_year.cell_id = {{ place_key(dbt.cast(dbt.cast(dbt.dateadd('month', -12, 'cells.month_start_date'), 'date'), dbt.type_string()), ['cells.place_key', 'cells.category_code']) }}

)

select
    {{ dbt.cast('month_start_date', 'date') }} as month_start_date,
    {{ dbt.cast('place_key', dbt.type_string()) }} as place_key,
    {{ dbt.cast('place_level', dbt.type_string()) }} as place_level,
    {%- for column in ['district_code', 'district_name', 'street_code', 'street_name', 'community_code', 'community_name', 'grid_code', 'grid_name'] %}
    {{ dbt.cast(column, dbt.type_string()) }} as {{ column }},
    {%- endfor %}
    {{ dbt.cast('category_code', dbt.type_string()) }} as category_code,
    {{ dbt.cast('case when not is_hidden then incident_count end', dbt.type_bigint()) }} as incident_count,
    {{ dbt.cast('case when not previous_month_is_hidden then previous_month_incident_count end', dbt.type_bigint()) }} as previous_month_incident_count,
    {{ dbt.cast('case when has_last_year and not last_year_is_hidden then same_month_last_year_incident_count end', dbt.type_bigint()) }} as same_month_last_year_incident_count,
    {{ dbt.cast('is_hidden', dbt.type_boolean()) }} as is_suppressed
from shown
where incident_count > 0
    or previous_month_incident_count > 0
    or same_month_last_year_incident_count > 0
