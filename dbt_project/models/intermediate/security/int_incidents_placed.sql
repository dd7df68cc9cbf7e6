-- Police incidents (latest version of each) with the month, category and
-- place they are counted under. The place is, from the most to the least
-- exact: the grid unit resolution put the incident's address on
-- (stg_identity__unit_mentions); else the community and street the address
-- names, looked up in the division reference; else the street the handling
-- police station serves (stations are named for their street). Names come
-- from the reference when the code is known, else as written; a place nobody
-- wrote stays `未知` (unknown) rather than being dropped.

with

incidents as (

    select * from {{ ref('stg_police__incidents') }}

),

divisions as (

    select * from {{ ref('stg_reference__divisions') }}

),

streets as (

    select * from {{ ref('int_streets_located') }}

),

incident_grids as (

    select
        record_key,
        max(grid_code) as grid_code
    from {{ ref('stg_identity__unit_mentions') }}
    where source_system = 'police'
        and source_entity = 'incidents'
        and grid_code is not null
    group by record_key

),

written as (

    select
        incidents.record_id,
        cast({{ dbt.date_trunc('month', 'incidents.reported_at') }} as date) as month_start_date,
        coalesce(incidents.category_code, '99') as category_code,
        incidents.location_district as written_district_name,
        coalesce(
            incidents.location_street,
            {{ street_of_office('incidents.police_station', '派出所') }}
        ) as written_street_name,
        incidents.location_community as written_community_name,
        incident_grids.grid_code
    from incidents
    left join incident_grids
        on incidents.record_id = incident_grids.record_key
    where incidents.reported_at is not null

),

coded as (

    select
        written.*,
        coalesce(
            substring(written.grid_code from 1 for 12),
            communities.division_code
        ) as community_code,
        streets.street_code as named_street_code,
        streets.district_code as named_district_code
    from written
    left join streets
        on written.written_street_name = streets.street_name
    left join divisions as communities
        on communities.division_level = 'community'
        and communities.parent_division_code = streets.street_code
        and communities.division_name = written.written_community_name

),

placed as (

    select
        coded.*,
        coalesce(
            {{ dbt.concat(["substring(coded.community_code from 1 for 9)", "'000'"]) }},
            coded.named_street_code
        ) as street_code,
        coalesce(
            {{ dbt.concat(["substring(coded.community_code from 1 for 6)", "'000000'"]) }},
            coded.named_district_code
        ) as district_code
    from coded

)

select
    placed.record_id,
    placed.month_start_date,
    placed.category_code,
    placed.district_code,
    coalesce(district.division_name, placed.written_district_name, '未知') as district_name,
    placed.street_code,
    coalesce(street.division_name, placed.written_street_name, '未知') as street_name,
    placed.community_code,
    coalesce(community.division_name, placed.written_community_name, '未知') as community_name,
    placed.grid_code,
    grid.division_name as grid_name
from placed
left join divisions as district
    on placed.district_code = district.division_code
left join divisions as street
    on placed.street_code = street.division_code
left join divisions as community
    on placed.community_code = community.division_code
left join divisions as grid
    on placed.grid_code = grid.division_code
