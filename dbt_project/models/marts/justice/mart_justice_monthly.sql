-- People's mediation and community corrections by month, street and case
-- type, for the 矛盾纠纷与社区矫正 dashboard. Two kinds of rows share the grain
-- month x place (a street, its district or the city: place_level) x case_kind x
-- case_type_code (or 'all' types; the street as the record names it, its code
-- and district from the division reference):
--   * mediation (case_type_code = dispute type): cases received (accepted in
--     the month), resolved (closed in the month, whatever the result),
--     succeeded (closed with an agreement), and the days those closures took;
--   * community_correction (case_type_code = correction category): the
--     caseload at month end, corrections started and ended in the month.
-- Every count from 1 to var('min_cell_count') - 1 is null, and so are the
-- rates and day totals of a cell whose resolved count is hidden: a
-- corrections caseload of 2 in a street would point at the persons.

with

mediation as (

    select * from {{ ref('stg_justice__mediation_cases') }}

),

corrections as (

    select * from {{ ref('stg_justice__community_corrections') }}

),

streets as (

    select * from {{ ref('int_streets_located') }}

),

bounds as (

    -- The latest month any roster speaks of, and var('justice_months') back
    -- (the rosters list only open cases, so older months would undercount).
    -- A case accepted after the roster listing it was extracted is a typing
    -- error (one 2036 date emptied the whole window of a million-person city):
    -- it sets no bound. Without an extraction time the date is trusted.
    select
        cast({{ dbt.date_trunc('month', dbt.cast('max(accepted_date)', dbt.type_timestamp())) }} as date) as last_month
    from mediation
    where _extracted_at is null
       or accepted_date <= cast(_extracted_at as date)

),

months as (

    {{ month_spine(
        "(select cast(" ~ dbt.dateadd('month', 1 - var('justice_months') | int, 'last_month') ~ " as date) from bounds)",
        '(select last_month from bounds)'
    ) }}

),

month_ends as (

    select
        month_start_date,
        cast({{ dbt.last_day('month_start_date', 'month') }} as date) as month_end_date
    from months

),

mediation_placed as (

    select
        mediation.case_number,
        streets.district_code,
        coalesce(streets.district_name, mediation.location_district, '未知') as district_name,
        streets.street_code,
        coalesce(mediation.location_street, '未知') as street_name,
        coalesce(mediation.dispute_type_code, 'other') as case_type_code,
        mediation.accepted_date,
        mediation.closed_date,
        mediation.result_code,
        coalesce(mediation.days_to_close, {{ dbt.datediff('mediation.accepted_date', 'mediation.closed_date', 'day') }}) as days_to_close
    from mediation
    left join streets
        on mediation.location_street = streets.street_name

),

mediation_counts as (

    select
        month_ends.month_start_date,
        mediation_placed.district_code,
        mediation_placed.district_name,
        mediation_placed.street_code,
        mediation_placed.street_name,
        mediation_placed.case_type_code,
        sum(case when mediation_placed.accepted_date between month_ends.month_start_date and month_ends.month_end_date then 1 else 0 end) as received_count,
        sum(case when mediation_placed.closed_date between month_ends.month_start_date and month_ends.month_end_date
            and mediation_placed.result_code in ('success', 'failure') then 1 else 0 end) as resolved_count,
        sum(case when mediation_placed.closed_date between month_ends.month_start_date and month_ends.month_end_date
            and mediation_placed.result_code = 'success' then 1 else 0 end) as succeeded_count,
        sum(case when mediation_placed.closed_date between month_ends.month_start_date and month_ends.month_end_date
            and mediation_placed.result_code in ('success', 'failure') then mediation_placed.days_to_close else 0 end) as days_to_close_total,
        cast(null as {{ dbt.type_bigint() }}) as caseload_count,
        cast(null as {{ dbt.type_bigint() }}) as started_count,
        cast(null as {{ dbt.type_bigint() }}) as ended_count
    from month_ends
    inner join mediation_placed
        on (mediation_placed.accepted_date between month_ends.month_start_date and month_ends.month_end_date)
        or (mediation_placed.closed_date between month_ends.month_start_date and month_ends.month_end_date)
    group by
        month_ends.month_start_date,
        mediation_placed.district_code,
        mediation_placed.district_name,
        mediation_placed.street_code,
        mediation_placed.street_name,
        mediation_placed.case_type_code

),

corrections_placed as (

    select
        corrections.correction_key,
        {{ street_of_office('corrections.justice_office', '司法所') }} as street_name,
        coalesce(corrections.correction_category, 'unknown') as case_type_code,
        corrections.start_date,
        corrections.end_date,
        corrections.status_code
    from corrections
    where corrections.start_date is not null

),

corrections_counts as (

    select
        month_ends.month_start_date,
        streets.district_code,
        coalesce(streets.district_name, '未知') as district_name,
        streets.street_code,
        coalesce(corrections_placed.street_name, '未知') as street_name,
        corrections_placed.case_type_code,
        cast(null as {{ dbt.type_bigint() }}) as received_count,
        cast(null as {{ dbt.type_bigint() }}) as resolved_count,
        cast(null as {{ dbt.type_bigint() }}) as succeeded_count,
        cast(null as {{ dbt.type_bigint() }}) as days_to_close_total,
        -- Under correction at month end: started by then, not ended by then.
        sum(case when corrections_placed.start_date <= month_ends.month_end_date
            and (corrections_placed.end_date is null or corrections_placed.end_date > month_ends.month_end_date)
            then 1 else 0 end) as caseload_count,
        sum(case when corrections_placed.start_date between month_ends.month_start_date and month_ends.month_end_date
            then 1 else 0 end) as started_count,
        sum(case when corrections_placed.end_date between month_ends.month_start_date and month_ends.month_end_date
            then 1 else 0 end) as ended_count
    from month_ends
    inner join corrections_placed
        on corrections_placed.start_date <= month_ends.month_end_date
        and (corrections_placed.end_date is null or corrections_placed.end_date >= month_ends.month_start_date)
    left join streets
        on corrections_placed.street_name = streets.street_name
    group by
        month_ends.month_start_date,
        streets.district_code,
        coalesce(streets.district_name, '未知'),
        streets.street_code,
        coalesce(corrections_placed.street_name, '未知'),
        corrections_placed.case_type_code

),

typed as (

    select 'mediation' as case_kind, mediation_counts.* from mediation_counts
    union all
    select 'community_correction' as case_kind, corrections_counts.* from corrections_counts

),

{%- set cell_columns = ['case_kind', 'month_start_date', 'district_code', 'district_name', 'street_code', 'street_name', 'case_type_code'] %}
{%- set counts = ['received_count', 'resolved_count', 'succeeded_count', 'days_to_close_total', 'caseload_count', 'started_count', 'ended_count'] %}

cells as (

    -- Every type, and all types together (case_type_code 'all', as the
    -- security mart's category 'all'), summed before suppression: a month's
    -- cases split by type are mostly under the minimum where their total is not.
    select * from typed

    union all

    {{ roll_up('typed', cell_columns, cell_columns[:-1], counts, set_to={'case_type_code': "'all'"}) }}

),

leveled as (

    -- Streets, their districts and the whole city in rows of their own
    -- (place_level), each suppressed on its own: a district's or the city's
    -- figure sums its streets' counts before suppression, so hidden street
    -- cells do not thin it. The city rows are what a small city's trends can
    -- show at all: 10,000 residents bring about 5 mediation cases a month,
    -- fewer than the minimum in nearly every district cell.
    select 'street' as place_level, cells.* from cells

    union all

    {{ roll_up('cells', ['place_level'] + cell_columns, ['case_kind', 'month_start_date', 'district_code', 'district_name', 'case_type_code'], counts, set_to={'place_level': "'district'"}) }}

    union all

    {{ roll_up('cells', ['place_level'] + cell_columns, ['case_kind', 'month_start_date', 'case_type_code'], counts, set_to={'place_level': "'city'"}) }}

),

keyed as (

    select
        leveled.*,
        {{ place_key(dbt.cast('month_start_date', dbt.type_string()), ['place_level', 'case_kind', 'case_type_code', 'district_code', 'district_name', 'street_code', 'street_name']) }} as cell_id,
        -- The equations the mart publishes: a district's row sums its streets',
        -- the city's its districts', an 'all' row its types'.
        {% set in_district = place_key(dbt.cast('month_start_date', dbt.type_string()), ['case_kind', 'case_type_code', 'district_code', 'district_name']) %}
        {% set in_city = place_key(dbt.cast('month_start_date', dbt.type_string()), ['case_kind', 'case_type_code']) %}
        {% set in_types = place_key(dbt.cast('month_start_date', dbt.type_string()), ['place_level', 'case_kind', 'district_code', 'district_name', 'street_code', 'street_name']) %}
        case when place_level = 'street' then {{ in_district }} end as in_district_child_key,
        case when place_level = 'district' then {{ in_district }} end as in_district_parent_key,
        case when place_level = 'district' then {{ in_city }} end as in_city_child_key,
        case when place_level = 'city' then {{ in_city }} end as in_city_parent_key,
        case when case_type_code <> 'all' then {{ in_types }} end as in_types_child_key,
        case when case_type_code = 'all' then {{ in_types }} end as in_types_parent_key,
        -- A resolved count is shown only when its successes and failures are
        -- each 0 or at least the minimum too: a 90% success rate over 10
        -- cases would otherwise tell that exactly one failed.
        ({{ suppress_small_count('succeeded_count') }}) is null
            or ({{ suppress_small_count('resolved_count - succeeded_count') }}) is null as outcome_is_small
    from leveled

),

{% set measures = {
    'received': ['received_count', suppress_small_count('received_count') ~ ' is null', 'null'],
    'succeeded': ['succeeded_count', 'outcome_is_small', "'outcome'"],
    'failed': ['resolved_count - succeeded_count', 'outcome_is_small', "'outcome'"],
    'caseload': ['caseload_count', suppress_small_count('caseload_count') ~ ' is null', 'null'],
    'started': ['started_count', suppress_small_count('started_count') ~ ' is null', 'null'],
    'ended': ['ended_count', suppress_small_count('ended_count') ~ ' is null', 'null'],
} %}

cells_long as (

    {% for measure, (value, is_small, link) in measures.items() -%}
    select
        cell_id,
        '{{ measure }}' as measure,
        {{ value }} as cell_value,
        {{ is_small }} as is_hidden,
        cast({{ link }} as {{ dbt.type_string() }}) as link_key,
        in_district_child_key,
        in_district_parent_key,
        in_city_child_key,
        in_city_parent_key,
        in_types_child_key,
        in_types_parent_key
    from keyed
    where {{ value }} is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

{{ protect_hidden_cells('cells_long', ['in_district', 'in_city', 'in_types']) }},

hidden as (

    select
        cell_id,
        {% for measure in ['received', 'succeeded', 'caseload', 'started', 'ended'] -%}
        {{ dbt.bool_or("measure = '" ~ measure ~ "' and is_hidden") }} as {{ measure }}_hidden{% if not loop.last %},{% endif %}
        {% endfor %}
    from cells_long_protected
    group by cell_id

),

shown as (

    select
        keyed.*,
        case when not coalesce(hidden.received_hidden, false) then keyed.received_count end as received_shown,
        -- successes and failures hide together (their link): the resolved
        -- count, the rate and the days go with them.
        case when not coalesce(hidden.succeeded_hidden, false) then keyed.resolved_count end as resolved_shown,
        case when not coalesce(hidden.caseload_hidden, false) then keyed.caseload_count end as caseload_shown,
        case when not coalesce(hidden.started_hidden, false) then keyed.started_count end as started_shown,
        case when not coalesce(hidden.ended_hidden, false) then keyed.ended_count end as ended_shown
    from keyed
    left join hidden
        on keyed.cell_id = hidden.cell_id

)

select
    {{ dbt.cast('month_start_date', 'date') }} as month_start_date,
    {{ dbt.cast('place_level', dbt.type_string()) }} as place_level,
    {{ dbt.cast('district_code', dbt.type_string()) }} as district_code,
    {{ dbt.cast('district_name', dbt.type_string()) }} as district_name,
    {{ dbt.cast('street_code', dbt.type_string()) }} as street_code,
    {{ dbt.cast('street_name', dbt.type_string()) }} as street_name,
    {{ dbt.cast('case_kind', dbt.type_string()) }} as case_kind,
    {{ dbt.cast('case_type_code', dbt.type_string()) }} as case_type_code,
    {{ dbt.cast('received_shown', dbt.type_bigint()) }} as received_count,
    {{ dbt.cast('resolved_shown', dbt.type_bigint()) }} as resolved_count,
    {{ dbt.cast('case when resolved_shown is not null then succeeded_count end', dbt.type_bigint()) }} as succeeded_count,
    {{ dbt.cast('case when resolved_shown > 0 then 1.0 * succeeded_count / resolved_count end', 'double precision') }} as success_rate,
    {{ dbt.cast('case when resolved_shown is not null then days_to_close_total end', dbt.type_bigint()) }} as days_to_close_total,
    {{ dbt.cast('case when resolved_shown > 0 then 1.0 * days_to_close_total / resolved_count end', 'double precision') }} as average_days_to_close,
    {{ dbt.cast('caseload_shown', dbt.type_bigint()) }} as caseload_count,
    {{ dbt.cast('started_shown', dbt.type_bigint()) }} as started_count,
    {{ dbt.cast('ended_shown', dbt.type_bigint()) }} as ended_count,
    {{ dbt.cast(
        'coalesce(received_count > 0 and received_shown is null, false)'
        ~ ' or coalesce(resolved_count > 0 and resolved_shown is null, false)'
        ~ ' or coalesce(caseload_count > 0 and caseload_shown is null, false)',
        dbt.type_boolean()) }} as is_suppressed
from shown
