-- Every division with the codes and names of the district, street, community
-- and grid it lies in (its own level included), found by climbing the parent
-- chain. A grid's chain is grid -> community -> street -> district -> city, so
-- four steps up reach every level we name; a level missing from the reference
-- (a community whose street is not listed) stays null instead of failing.

-- A table, not a view: the unit and grid models join it by division code, and
-- PostgreSQL has no statistics on a view's trimmed codes to plan those joins
-- with (it guessed millions of rows for 1,335 divisions at 50,000 persons).
{{ config(materialized='table') }}

{%- set levels = ['district', 'street', 'community', 'grid'] %}
{%- set chain = ['self', 'parent_1', 'parent_2', 'parent_3', 'parent_4'] %}

with

divisions as (

    select * from {{ ref('stg_reference__divisions') }}

),

climbed as (

    select
        self.division_code,
        self.division_level,
        {%- for step in chain %}
        {{ step }}.division_code as {{ step }}_code,
        {{ step }}.division_name as {{ step }}_name,
        {{ step }}.division_level as {{ step }}_level{{ "," if not loop.last }}
        {%- endfor %}
    from divisions as self
    {%- for step in chain[1:] %}
    left join divisions as {{ step }}
        on {{ step }}.division_code = {{ chain[loop.index0] }}.parent_division_code
    {%- endfor %}

)

select
    division_code,
    division_level,
    {%- for level in levels %}
    coalesce(
        {%- for step in chain %}
        case when {{ step }}_level = '{{ level }}' then {{ step }}_code end{{ "," if not loop.last }}
        {%- endfor %}
    ) as {{ level }}_code,
    coalesce(
        {%- for step in chain %}
        case when {{ step }}_level = '{{ level }}' then {{ step }}_name end{{ "," if not loop.last }}
        {%- endfor %}
    ) as {{ level }}_name{{ "," if not loop.last }}
    {%- endfor %}
from climbed
