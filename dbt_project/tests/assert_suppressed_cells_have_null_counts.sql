-- Small-cell suppression holds in the published mart: a suppressed cell shows
-- no count at all, and a cell that shows counts has at least min_cell_count
-- residents. Any row returned is a cell that could single out individuals.

select
    month_start_date,
    division_code,
    residency_type,
    age_band,
    gender,
    resident_count,
    arrival_count,
    departure_count,
    is_suppressed
from {{ ref('mart_population_monthly') }}
where
    (
        is_suppressed
        and (
            resident_count is not null
            or arrival_count is not null
            or departure_count is not null
        )
    )
    or (
        not is_suppressed
        and (resident_count is null or resident_count < {{ var('min_cell_count') }})
    )
