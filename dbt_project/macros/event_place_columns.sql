{#
  Join a fact's source rows (aliased `events`, key column `event_key_column`)
  to the place its record names: `places` (unit_key, grid_code from
  int_event_places), the grid of the named unit (the more specific
  resolution) else the mention's own grid, and the grid's community, street
  and district (`place_divisions`). Used by every
  fct_* model so the facts place events one way.
#}
{% macro event_place_joins(fact_name, event_key_column) -%}
    left join {{ ref('int_event_places') }} as places
        on places.fact_name = '{{ fact_name }}'
        and places.event_key = {{ event_key_column }}
    left join {{ ref('int_house_units_resolved') }} as place_units
        on places.unit_key = place_units.unit_key
    left join {{ ref('int_divisions_flattened') }} as place_divisions
        on coalesce(place_units.grid_code, places.grid_code) = place_divisions.division_code
{%- endmacro %}

{% macro event_place_columns() -%}
    {{ dbt.cast('places.unit_key', 'varchar') }} as unit_key,
    {{ dbt.cast('coalesce(place_units.grid_code, places.grid_code)', 'varchar') }} as grid_code,
    {{ dbt.cast('place_divisions.community_code', 'varchar') }} as community_code,
    {{ dbt.cast('place_divisions.street_code', 'varchar') }} as street_code,
    {{ dbt.cast('place_divisions.district_code', 'varchar') }} as district_code
{%- endmacro %}

{#
  The persons of one fact's events that int_event_persons links, in the given
  roles, counted per event: a subquery (event_key, person_count) to left join,
  so each fact reads the bridge once rather than once per row.
#}
{% macro linked_person_counts(fact_name, roles) -%}
    (
        select event_key, count(distinct person_key) as person_count
        from {{ ref('int_event_persons') }}
        where fact_name = '{{ fact_name }}'
          and role in ('{{ roles | join("', '") }}')
        group by event_key
    )
{%- endmacro %}
