{#
  Secondary suppression: hide more cells until no hidden count can be worked
  out by subtraction.

  A mart that shows a parent (a district, the city, all types) beside its
  children (its streets, its districts, each type) publishes one equation per
  parent: parent = sum of children. If only one child of a shown parent is
  hidden, parent minus the shown children gives it exactly; if the hidden
  children add up to less than var('min_cell_count'), they are small and few;
  if a hidden parent has no hidden child, summing the children gives it. Each
  round finds such groups (per measure and per hierarchy) and hides one more
  cell in each: the smallest non-zero child still shown, or the parent when no
  child can be hidden. Cells of one link hide together (a mediation cell's
  successes and failures: its rate would tell one from the other).

  `cells` names a CTE of one row per cell and measure with columns cell_id,
  measure, cell_value (the true count), is_hidden (the primary suppression),
  link_key (null, or a name shared by the measures of a cell that hide
  together), and for every hierarchy h in `hierarchies` h_child_key (the group
  the row belongs to as a child, or null) and h_parent_key (the group it is
  the parent of, or null). Emits CTEs <cells>_round_1 .. <cells>_round_N and
  <cells>_protected (cell_id, measure, is_hidden) for the caller's WITH list.
  A singular test on the published mart (assert_hidden_counts_stay_hidden)
  checks that the rounds were enough.
#}
{% macro protect_hidden_cells(cells, hierarchies, rounds=6) -%}
{%- set key_columns = [] -%}
{%- for h in hierarchies -%}
    {%- do key_columns.append(h ~ '_child_key') -%}
    {%- do key_columns.append(h ~ '_parent_key') -%}
{%- endfor -%}
{%- set minimum = var('min_cell_count') -%}
{%- for round in range(1, rounds + 1) -%}
{%- set previous = cells if round == 1 else cells ~ '_round_' ~ (round - 1) -%}
{%- set prefix = cells ~ '_r' ~ round -%}
{%- for h in hierarchies %}

{{ prefix }}_{{ h }}_groups as (

    select
        measure,
        {{ h }}_child_key as group_key,
        sum(case when is_hidden then 1 else 0 end) as hidden_children,
        sum(case when is_hidden then cell_value else 0 end) as hidden_sum,
        sum(case when not is_hidden and cell_value > 0 then 1 else 0 end) as hideable_children
    from {{ previous }}
    where {{ h }}_child_key is not null
    group by measure, {{ h }}_child_key

),

{{ prefix }}_{{ h }}_weak as (

    select
        groups.measure,
        groups.group_key,
        groups.hideable_children,
        parent.cell_id as parent_cell_id,
        parent.is_hidden as parent_is_hidden
    from {{ prefix }}_{{ h }}_groups as groups
    inner join {{ previous }} as parent
        on parent.measure = groups.measure
        and parent.{{ h }}_parent_key = groups.group_key
    where (
            not parent.is_hidden
            and (groups.hidden_children = 1 or (groups.hidden_sum > 0 and groups.hidden_sum < {{ minimum }}))
        )
        or (parent.is_hidden and parent.cell_value > 0 and groups.hidden_children = 0)

),

{{ prefix }}_{{ h }}_picks as (

    select cell_id, measure
    from (
        select
            child.cell_id,
            child.measure,
            row_number() over (
                partition by child.measure, child.{{ h }}_child_key
                order by child.cell_value, child.cell_id
            ) as pick_order
        from {{ previous }} as child
        inner join {{ prefix }}_{{ h }}_weak as weak
            on child.measure = weak.measure
            and child.{{ h }}_child_key = weak.group_key
        where not child.is_hidden and child.cell_value > 0
    ) as ranked
    where pick_order = 1

    union all

    select parent_cell_id as cell_id, measure
    from {{ prefix }}_{{ h }}_weak
    where hideable_children = 0 and not parent_is_hidden

),
{%- endfor %}

{{ prefix }}_picks as (

    {% for h in hierarchies -%}
    select cell_id, measure from {{ prefix }}_{{ h }}_picks
    {% if not loop.last %}union{% endif %}
    {% endfor %}

),

{{ cells }}_round_{{ round }} as (

    select
        previous.cell_id,
        previous.measure,
        previous.cell_value,
        -- bool_or over the link: hiding one measure of a link hides them all.
        {{ dbt.bool_or('previous.is_hidden or picks.cell_id is not null') }} over (
            partition by previous.cell_id, coalesce(previous.link_key, previous.measure)
        ) as is_hidden,
        previous.link_key,
        {{ key_columns | join(', ') }}
    from {{ previous }} as previous
    left join {{ prefix }}_picks as picks
        on picks.cell_id = previous.cell_id
        and picks.measure = previous.measure

),
{%- endfor %}

{{ cells }}_protected as (

    select cell_id, measure, is_hidden from {{ cells }}_round_{{ rounds }}

)
{%- endmacro %}
