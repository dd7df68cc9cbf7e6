-- Administrative divisions and grids (reference.divisions), one row per code.
-- Codes are trimmed: the reference file pads nothing, but a code typed with a
-- trailing space would never join to a department's division_code.

with

source as (

    select * from {{ source_or_empty('reference', 'divisions') }} as divisions

)

select
    trim({{ dbt.cast('code', dbt.type_string()) }}) as division_code,
    trim({{ dbt.cast('name', dbt.type_string()) }}) as division_name,
    lower(trim({{ dbt.cast('level', dbt.type_string()) }})) as division_level,
    -- The top of the tree may carry an empty parent instead of null.
    nullif(trim({{ dbt.cast('parent_code', dbt.type_string()) }}), '') as parent_division_code
from source
where code is not null
