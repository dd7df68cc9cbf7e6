-- Every street of the city's division reference with its code and district,
-- to place records that name a street (or an office named for it) but carry
-- no division code: police incidents, mediation cases, corrections rosters.
-- A street name that occurs in two districts is left out (ambiguous): such
-- records keep the district their own address names.

with

divisions as (

    select * from {{ ref('stg_reference__divisions') }}

),

streets as (

    select
        streets.division_code as street_code,
        streets.division_name as street_name,
        districts.division_code as district_code,
        districts.division_name as district_name,
        count(*) over (partition by streets.division_name) as streets_of_that_name
    from divisions as streets
    inner join divisions as districts
        on streets.parent_division_code = districts.division_code
    where streets.division_level = 'street'
        and districts.division_level = 'district'

)

select
    street_code,
    street_name,
    district_code,
    district_name
from streets
where streets_of_that_name = 1
