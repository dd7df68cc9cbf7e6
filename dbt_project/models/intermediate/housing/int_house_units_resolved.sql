-- One row per resolved house unit (unit_key) that any record mentions, with the
-- attributes of its latest register version. A unit can be known only from a
-- rental or a resident's address (not yet in the register): its attributes are
-- then null and its grid comes from those mentions.

-- A table, not a view: several marts read it, and a view would repeat its
-- joins in each of them.
{{ config(materialized='table', pre_hook="{{ avoid_nested_loops() }}") }}

-- Each import CTE is read once (as in int_person_unit_links: PostgreSQL plans
-- a CTE read twice without statistics).
with

register_units as (

    select * from {{ ref('stg_identity__unit_mentions') }}
    where source_system = 'housing'
      and source_entity = 'house_units'
      and role = 'unit'
      and unit_key is not null

),

placed_units as (

    select * from {{ ref('stg_identity__unit_mentions') }}
    where unit_key is not null
      and grid_code is not null

),

mentioned_units as (

    select * from {{ ref('stg_identity__unit_mentions') }}
    where unit_key is not null

),

owner_orgs as (

    select * from {{ ref('stg_identity__org_mentions') }}
    where source_system = 'housing'
      and source_entity = 'house_units'
      and role = 'owner'

),

house_units as (

    select * from {{ ref('stg_housing__house_units') }}

),

grid_divisions as (

    select * from {{ ref('int_divisions_flattened') }}

),

community_divisions as (

    select * from {{ ref('int_divisions_flattened') }}

),

-- The register row each unit code's latest version came from, and the unit
-- that row was resolved to.
registered_versions as (

    select
        register_units.unit_key,
        register_units.grid_code,
        house_units.*,
        owner_orgs.org_key as owner_org_key,
        row_number() over (
            partition by register_units.unit_key
            order by
                house_units.updated_at desc nulls last,
                house_units._extracted_at desc nulls last,
                house_units.unit_code
        ) as version_rank
    from house_units
    inner join register_units
        on register_units.batch_id = house_units._batch_id
        and register_units.record_key = {{ dbt.cast('house_units._source_row', dbt.type_string()) }}
    left join owner_orgs
        on owner_orgs.batch_id = house_units._batch_id
        and owner_orgs.record_key = {{ dbt.cast('house_units._source_row', dbt.type_string()) }}

),

latest_versions as (

    select * from registered_versions where version_rank <= 1

),

-- The grid of a unit outside the register: the latest mention that placed it.
mentioned_grids as (

    select
        unit_key,
        grid_code,
        row_number() over (
            partition by unit_key
            order by _extracted_at desc nulls last, batch_id desc, record_key desc
        ) as grid_rank
    from placed_units

),

units as (

    select distinct unit_key
    from mentioned_units

),

resolved as (

    select
        units.unit_key,
        latest_versions.unit_key is not null as is_in_register,
        coalesce(latest_versions.grid_code, mentioned_grids.grid_code) as grid_code,
        latest_versions.division_code,
        latest_versions.estate_name,
        latest_versions.building,
        latest_versions.entrance,
        latest_versions.floor,
        latest_versions.room,
        latest_versions.use_code,
        latest_versions.floor_area,
        coalesce(latest_versions.owner_type, 'unknown') as owner_type,
        latest_versions.owner_org_key,
        latest_versions.updated_at
    from units
    left join latest_versions
        on units.unit_key = latest_versions.unit_key
    left join mentioned_grids
        on units.unit_key = mentioned_grids.unit_key
        and mentioned_grids.grid_rank <= 1

)

select
    resolved.unit_key,
    resolved.is_in_register,
    resolved.grid_code,
    -- The grid decides the community; the register's division code stands in
    -- for a unit on no known grid.
    coalesce(grid_divisions.district_code, community_divisions.district_code) as district_code,
    coalesce(grid_divisions.district_name, community_divisions.district_name) as district_name,
    coalesce(grid_divisions.street_code, community_divisions.street_code) as street_code,
    coalesce(grid_divisions.street_name, community_divisions.street_name) as street_name,
    coalesce(grid_divisions.community_code, community_divisions.community_code, resolved.division_code) as community_code,
    coalesce(grid_divisions.community_name, community_divisions.community_name) as community_name,
    resolved.estate_name,
    resolved.building,
    resolved.entrance,
    resolved.floor,
    resolved.room,
    resolved.use_code,
    resolved.floor_area,
    resolved.owner_type,
    resolved.owner_org_key,
    resolved.updated_at
from resolved
left join grid_divisions
    on resolved.grid_code = grid_divisions.division_code
left join community_divisions
    on resolved.division_code = community_divisions.division_code
