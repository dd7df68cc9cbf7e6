-- Subsistence-allowance households (低保), one row per case, with the head's
-- person_key, the allowance and its period, placed on the household's unit
-- and grid where its address resolved. The members are in bridge_event_person
-- (fact_name 'subsistence_case'). Sensitive (L4) throughout.

with

cases as (

    select * from {{ ref('stg_civil_affairs__subsistence_cases') }}

),

heads as (

    select event_key, person_key
    from {{ ref('int_event_persons') }}
    where fact_name = 'subsistence_case'
      and role = 'head'
      and position = 1

)

select
    {{ dbt.cast('cases.case_number', 'varchar') }} as subsistence_case_id,
    {{ dbt.cast('coalesce(heads.person_key, cases.head_person_key)', 'varchar') }} as head_person_key,
    {{ dbt.cast('cases.member_count', dbt.type_bigint()) }} as member_count,
    {{ dbt.cast('coalesce(linked.person_count, 0)', dbt.type_bigint()) }} as linked_member_count,
    {{ dbt.cast('cases.monthly_amount', 'numeric(14,2)') }} as monthly_amount,
    {{ dbt.cast('cases.start_date', 'date') }} as start_date,
    {{ dbt.cast('cases.end_date', 'date') }} as end_date,
    {{ dbt.cast('cases.status_code', 'varchar') }} as status_code,
    {{ dbt.cast("cases.status_code = 'active'", dbt.type_boolean()) }} as is_active,
    {{ event_place_columns() }}
from cases
left join heads
    on heads.event_key = cases.case_number
left join {{ linked_person_counts('subsistence_case', ['member']) }} as linked
    on linked.event_key = cases.case_number
{{ event_place_joins('subsistence_case', 'cases.case_number') }}
