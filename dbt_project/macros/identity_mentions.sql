{#
  A staging view over one identity.*_mentions table, pseudonymous columns only:
  where a record names a person, unit or organization (record key, role,
  position), the key resolution gave the mention, the evidence, and the
  extra pseudonymous columns of that kind. The clear identifiers (numbers,
  names, phones, addresses) stay in the identity schema.

  A record delivered twice within one batch yields its mentions twice (same
  key): one copy is kept, a resolved one first, then the latest extracted.

  table:   the identity table (person_mentions, unit_mentions, org_mentions)
  key:     its resolved key column (person_key, unit_key, org_key)
  extra:   further string columns to pass on (e.g. grid_code, credit_code)
#}
{% macro pseudonymous_mentions(table, key, extra=[]) -%}
{#- A table, not a view (an exception to staging's rule): a dozen intermediate
    models join it by mention key, and as a view each of them would sort the
    whole mention table again, and PostgreSQL would guess its filtered row
    count (1 in 200) and plan nested loops. Indexed on PostgreSQL by mention
    key for the joins that still loop; DuckDB joins by hash and needs none. #}
{{ config(
    materialized='table',
    indexes=[{'columns': ['source_system', 'source_entity', 'batch_id', 'record_key']}]
        if target.type == 'postgres' else [],
) }}
{%- set columns = ['source_system', 'source_entity', 'batch_id', 'record_key', 'role', 'position', key] + extra + ['evidence', '_extracted_at'] -%}

with

mentions as (

    select
        {{ dbt.cast('source_system', dbt.type_string()) }} as source_system,
        {{ dbt.cast('source_entity', dbt.type_string()) }} as source_entity,
        {{ dbt.cast('batch_id', dbt.type_string()) }} as batch_id,
        {{ dbt.cast('record_key', dbt.type_string()) }} as record_key,
        {{ dbt.cast('role', dbt.type_string()) }} as role,
        {{ dbt.cast('position', dbt.type_bigint()) }} as position,
        {{ dbt.cast(key, dbt.type_string()) }} as {{ key }},
        {%- for column in extra %}
        {{ dbt.cast(column, dbt.type_string()) }} as {{ column }},
        {%- endfor %}
        {{ dbt.cast('evidence', dbt.type_string()) }} as evidence,
        {{ dbt.cast('_extracted_at', dbt.type_timestamp()) }} as _extracted_at
    from {{ source_or_empty('identity', table) }} as {{ table }}

),

numbered as (

    select
        mentions.*,
        row_number() over (
            partition by source_system, source_entity, batch_id, record_key, role, position
            order by
                case when {{ key }} is null then 1 else 0 end,
                _extracted_at desc nulls last,
                {{ key }}
        ) as copy_number
    from mentions

)

select
    {{ columns | join(',\n    ') }}
from numbered
where copy_number = 1
{%- endmacro %}
