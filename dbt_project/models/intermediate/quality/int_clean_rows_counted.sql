-- Rows of every clean table per batch, and how many of them the clean step
-- repaired or flagged. Reads the clean tables themselves, not staging: staging
-- keeps only the latest version of each record, while the quality ledger
-- accounts for every row each batch loaded.

{%- set clean_tables = [
    ('police', 'household_residents'),
    ('police', 'floating_residents'),
    ('police', 'incidents'),
    ('civil_affairs', 'marriages'),
    ('civil_affairs', 'deaths'),
    ('civil_affairs', 'subsistence_cases'),
    ('civil_affairs', 'organizations'),
    ('housing', 'house_units'),
    ('housing', 'rental_registrations'),
    ('justice', 'community_corrections'),
    ('justice', 'mediation_cases'),
    ('justice', 'resettlement_cases'),
] %}

with

clean_rows as (

    {%- for source_system, source_entity in clean_tables %}

    select
        '{{ source_system }}' as source_system,
        '{{ source_entity }}' as source_entity,
        {{ dbt.cast('_batch_id', dbt.type_string()) }} as batch_id,
        {{ has_repair_flag('quality_flags') }} as is_repaired,
        case when quality_flags is null or quality_flags = '' then 0 else 1 end as is_flagged
    from {{ source('clean_' ~ source_system, source_entity) }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

)

select
    source_system,
    source_entity,
    batch_id,
    count(*) as rows_found,
    sum(is_repaired) as rows_repaired,
    sum(is_flagged) as rows_flagged
from clean_rows
group by
    source_system,
    source_entity,
    batch_id
