-- People's-mediation cases (人民调解), one row per case number, with the
-- outcome and days to close, placed where the case's place resolved. The
-- parties are in bridge_event_person (fact_name 'mediation_case').

with

cases as (

    select * from {{ ref('stg_justice__mediation_cases') }}

)

select
    {{ dbt.cast('cases.case_number', 'varchar') }} as mediation_case_id,
    {{ dbt.cast('cases.accepted_date', 'date') }} as accepted_date,
    {{ dbt.cast('cases.closed_date', 'date') }} as closed_date,
    {{ dbt.cast('cases.days_to_close', dbt.type_bigint()) }} as days_to_close,
    {{ dbt.cast('cases.dispute_type_code', 'varchar') }} as dispute_type_code,
    {{ dbt.cast('cases.dispute_type', 'varchar') }} as dispute_type,
    {{ dbt.cast('cases.result_code', 'varchar') }} as result_code,
    {{ dbt.cast("cases.result_code = 'success'", dbt.type_boolean()) }} as is_success,
    {{ dbt.cast('cases.closed_date is not null', dbt.type_boolean()) }} as is_closed,
    {{ dbt.cast('cases.agreement_amount', 'numeric(14,2)') }} as agreement_amount,
    {{ dbt.cast('cases.mediation_organization', 'varchar') }} as mediation_organization,
    {{ dbt.cast('cases.location_street', 'varchar') }} as location_street_name,
    {{ dbt.cast('cases.party_count', dbt.type_bigint()) }} as party_count,
    {{ dbt.cast('coalesce(linked.person_count, 0)', dbt.type_bigint()) }} as linked_party_count,
    {{ event_place_columns() }}
from cases
left join {{ linked_person_counts('mediation_case', ['party']) }} as linked
    on linked.event_key = cases.case_number
{{ event_place_joins('mediation_case', 'cases.case_number') }}
