{#
  The published cells whose hidden counts subtraction or addition would give
  back (the check on protect_hidden_cells, read from the mart as anyone
  reading it sees it): per hierarchy and measure, a shown parent with exactly
  one hidden child, or whose hidden children add up to 1 to
  var('min_cell_count') - 1, and a hidden parent whose children are all shown.

  `hierarchies` maps a name to [child condition, parent condition, the
  columns naming a group]; `measures` are expressions over the mart's columns.
#}
{% macro hidden_counts_recoverable(model, hierarchies, measures) -%}
{%- for name, (child_condition, parent_condition, group_columns) in hierarchies.items() -%}
{%- set group_key = place_key(dbt.cast(group_columns[0], dbt.type_string()), group_columns[1:]) -%}
{%- for measure in measures %}
select
    '{{ name }}' as hierarchy,
    '{{ measure | replace("'", "") }}' as measure,
    parents.group_key,
    parents.parent_value,
    children.shown_sum,
    children.hidden_children
from (
    select {{ group_key }} as group_key, {{ measure }} as parent_value
    from {{ model }}
    where {{ parent_condition }}
) as parents
inner join (
    select
        {{ group_key }} as group_key,
        coalesce(sum({{ measure }}), 0) as shown_sum,
        sum(case when {{ measure }} is null then 1 else 0 end) as hidden_children
    from {{ model }}
    where {{ child_condition }}
    group by {{ group_key }}
) as children
    on parents.group_key = children.group_key
where (
        parents.parent_value is not null
        and (
            children.hidden_children = 1
            or (parents.parent_value - children.shown_sum > 0
                and parents.parent_value - children.shown_sum < {{ var('min_cell_count') }})
        )
    )
    or (parents.parent_value is null and children.hidden_children = 0)
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{% if not loop.last %}union all{% endif %}
{% endfor %}
{%- endmacro %}
