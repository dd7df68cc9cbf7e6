-- Person mentions, pseudonymous columns only: where a record names a person
-- (record key, role, position) and the person_key resolution gave the mention,
-- with the evidence. id_number, name and phone stay in the identity schema.

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
        {{ dbt.cast('person_key', dbt.type_string()) }} as person_key,
        {{ dbt.cast('evidence', dbt.type_string()) }} as evidence,
        {{ dbt.cast('_extracted_at', dbt.type_timestamp()) }} as _extracted_at
    from {{ source_or_empty('identity', 'person_mentions') }} as person_mentions

),

numbered as (

    select
        mentions.*,
        row_number() over (
            partition by source_system, source_entity, batch_id, record_key, role, position
            order by
                case when person_key is null then 1 else 0 end,
                _extracted_at desc nulls last,
                person_key
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
    person_key,
    evidence,
    _extracted_at
from numbered
where copy_number = 1
