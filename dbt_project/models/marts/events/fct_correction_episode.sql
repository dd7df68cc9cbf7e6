-- Community-corrections episodes (社区矫正), one row per person and start of
-- correction, with the latest roster's status. Sensitive (L4) throughout.

with

episodes as (

    select * from {{ ref('stg_justice__community_corrections') }}

),

subjects as (

    select event_key, person_key
    from {{ ref('int_event_persons') }}
    where fact_name = 'correction_episode'
      and role = 'corrections_subject'
      and position = 1

)

select
    {{ dbt.cast('episodes.correction_key', 'varchar') }} as correction_episode_key,
    {{ dbt.cast('coalesce(subjects.person_key, episodes.person_key)', 'varchar') }} as person_key,
    {{ dbt.cast('episodes.correction_category', 'varchar') }} as correction_category,
    {{ dbt.cast('episodes.start_date', 'date') }} as start_date,
    {{ dbt.cast('episodes.end_date', 'date') }} as end_date,
    {{ dbt.cast('episodes.status_code', 'varchar') }} as status_code,
    {{ dbt.cast("episodes.status_code = 'active'", dbt.type_boolean()) }} as is_active,
    {{ dbt.cast('episodes.justice_office', 'varchar') }} as justice_office,
    {{ event_place_columns() }}
from episodes
left join subjects
    on subjects.event_key = episodes.correction_key
{{ event_place_joins('correction_episode', 'episodes.correction_key') }}
