{#
  Rows of a fact that contradict bridge_event_person or dim_house_unit: the
  linked-person count differs from the bridge's distinct persons in `roles`,
  or the fact's grid differs from the grid of the unit it names. For the
  singular tests of the facts. Returns (event key, disagreement).
#}
{% macro fact_disagreements(relation, key_column, fact_name, count_column, roles) -%}
    select
        facts.{{ key_column }} as event_key,
        'linked count differs from bridge_event_person' as disagreement
    from {{ relation }} as facts
    left join (
        select event_key, count(distinct person_key) as person_count
        from {{ ref('bridge_event_person') }}
        where fact_name = '{{ fact_name }}'
          and role in ('{{ roles | join("', '") }}')
        group by event_key
    ) as bridged
        on facts.{{ key_column }} = bridged.event_key
    where facts.{{ count_column }} <> coalesce(bridged.person_count, 0)
    union all
    select
        facts.{{ key_column }},
        'grid differs from the unit''s grid'
    from {{ relation }} as facts
    inner join {{ ref('dim_house_unit') }} as units
        on facts.unit_key = units.unit_key
    where units.grid_code is not null
      and coalesce(facts.grid_code, '') <> units.grid_code
{%- endmacro %}
