-- The grids of the city with the community, street and district they lie in:
-- the geography every fact and dimension rolls up through. Public reference
-- data (L1).

with

grids as (

    select *
    from {{ ref('int_divisions_flattened') }}
    where division_level = 'grid'

)

select
    {{ dbt.cast('grid_code', 'varchar') }} as grid_code,
    {{ dbt.cast('grid_name', 'varchar') }} as grid_name,
    {{ dbt.cast('community_code', 'varchar') }} as community_code,
    {{ dbt.cast('community_name', 'varchar') }} as community_name,
    {{ dbt.cast('street_code', 'varchar') }} as street_code,
    {{ dbt.cast('street_name', 'varchar') }} as street_name,
    {{ dbt.cast('district_code', 'varchar') }} as district_code,
    {{ dbt.cast('district_name', 'varchar') }} as district_name
from grids
