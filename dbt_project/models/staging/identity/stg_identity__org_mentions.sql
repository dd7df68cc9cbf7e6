-- Organization mentions, pseudonymous columns only: where a record names an
-- organization (record key, role, position), its credit code as mentioned (an
-- organization's code is not personal), the org_key resolution gave it and the
-- evidence. The mentioned name and address stay in the identity schema.

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
        {{ dbt.cast('credit_code', dbt.type_string()) }} as credit_code,
        {{ dbt.cast('org_key', dbt.type_string()) }} as org_key,
        {{ dbt.cast('evidence', dbt.type_string()) }} as evidence,
        {{ dbt.cast('_extracted_at', dbt.type_timestamp()) }} as _extracted_at
    from {{ source_or_empty('identity', 'org_mentions') }} as org_mentions

),

numbered as (

    select
        mentions.*,
        row_number() over (
            partition by source_system, source_entity, batch_id, record_key, role, position
            order by
                case when org_key is null then 1 else 0 end,
                _extracted_at desc nulls last,
                org_key
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
    credit_code,
    org_key,
    evidence,
    _extracted_at
from numbered
where copy_number = 1
