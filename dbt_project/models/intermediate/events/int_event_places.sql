-- Where each fact's record places it: the house unit and grid of its unit
-- mention (an incident's place of occurrence, a case's address), the first
-- one when a record names several. A place on a grid but on no unit keeps its
-- grid. Grain: one row per fact and event key that has a placed mention.

-- A table, not a view: several marts read it, and a view would repeat its
-- joins in each of them.
{{ config(materialized='table') }}

with

records as (

    select * from {{ ref('int_event_records') }}

),

unit_mentions as (

    select * from {{ ref('stg_identity__unit_mentions') }}
    where unit_key is not null or grid_code is not null

),

ranked as (

    select
        records.fact_name,
        records.event_key,
        unit_mentions.unit_key,
        unit_mentions.grid_code,
        unit_mentions.evidence,
        row_number() over (
            partition by records.fact_name, records.event_key
            order by
                -- Where it happened before where someone lives.
                case unit_mentions.role when 'occurred_at' then 0 when 'lives_at' then 1 else 2 end,
                unit_mentions.position,
                unit_mentions.role
        ) as place_rank
    from records
    inner join unit_mentions
        on unit_mentions.source_system = records.source_system
        and unit_mentions.source_entity = records.source_entity
        and unit_mentions.batch_id = records.batch_id
        and unit_mentions.record_key = records.record_key

)

select
    fact_name,
    event_key,
    unit_key,
    grid_code,
    evidence
from ranked
where place_rank <= 1
