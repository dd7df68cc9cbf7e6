-- House-unit mentions, pseudonymous columns only: where a record names a unit
-- (record key, role, position), the unit_key and grid resolution gave it, and
-- the evidence. The address text and its components stay in the identity schema.

-- A record delivered twice within one batch yields its mentions twice (same
-- key); one is kept, a resolved one first.

-- A table, not a view (an exception to staging's rule): a dozen intermediate
-- models join it by mention key, and as a view each of them would sort the
-- whole mention table again, and PostgreSQL would guess its filtered row
-- count (1 in 200) and plan nested loops. Indexed on PostgreSQL by mention
-- key for the joins that still loop; DuckDB joins by hash and needs none.
{{ config(
    materialized='table',
    indexes=[{'columns': ['source_system', 'source_entity', 'batch_id', 'record_key']}]
        if target.type == 'postgres' else [],
) }}

with

mentions as (

    select
        {{ dbt.cast('source_system', dbt.type_string()) }} as source_system,
        {{ dbt.cast('source_entity', dbt.type_string()) }} as source_entity,
        {{ dbt.cast('batch_id', dbt.type_string()) }} as batch_id,
        {{ dbt.cast('record_key', dbt.type_string()) }} as record_key,
        {{ dbt.cast('role', dbt.type_string()) }} as role,
        {{ dbt.cast('position', dbt.type_bigint()) }} as position,
        {{ dbt.cast('unit_key', dbt.type_string()) }} as unit_key,
        {{ dbt.cast('grid_code', dbt.type_string()) }} as grid_code,
        {{ dbt.cast('evidence', dbt.type_string()) }} as evidence,
        {{ dbt.cast('_extracted_at', dbt.type_timestamp()) }} as _extracted_at
    from {{ source_or_empty('identity', 'unit_mentions') }} as unit_mentions

),

numbered as (

    select
        mentions.*,
        row_number() over (
            partition by source_system, source_entity, batch_id, record_key, role, position
            order by
                case when unit_key is null then 1 else 0 end,
                _extracted_at desc nulls last,
                unit_key
        ) as copy_number
    from mentions

)

select
    source_system,
    source_entity,
    batch_id,
    record_key,
    role,
    position,
    unit_key,
    grid_code,
    evidence,
    _extracted_at
from numbered
where copy_number = 1
