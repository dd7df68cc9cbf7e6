-- A mediation cell that shows its resolved count shows successes and
-- failures that are each 0 or at least var('min_cell_count'): the success
-- rate times the resolved count would otherwise tell a small number. Any row
-- returned is a cell whose rate singles out one to four cases.

select
    month_start_date,
    place_level,
    district_name,
    street_name,
    case_type_code,
    resolved_count,
    succeeded_count
from {{ ref('mart_justice_monthly') }}
where case_kind = 'mediation'
    and resolved_count is not null
    and (
        (succeeded_count > 0 and succeeded_count < {{ var('min_cell_count') }})
        or (resolved_count - succeeded_count > 0 and resolved_count - succeeded_count < {{ var('min_cell_count') }})
    )
