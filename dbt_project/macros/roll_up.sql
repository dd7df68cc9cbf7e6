{#
  One roll-up of `relation`, as rows shaped like its own: the `measures`
  summed over the rows that share the `keep` columns, every other column of
  `columns` null, or the value `set_to` gives it (a level name, 'all').
  Counts are summed before any suppression, so the roll-up of hidden cells is
  whole. `columns` and `measures` are in the relation's column order.
#}
{% macro roll_up(relation, columns, keep, measures, set_to={}) -%}
    select
        {%- for column in columns %}
        {% if column in set_to %}{{ set_to[column] }}{% elif column in keep %}{{ column }}{% else %}cast(null as {{ dbt.type_string() }}){% endif %} as {{ column }},
        {%- endfor %}
        {%- for measure in measures %}
        sum({{ measure }}) as {{ measure }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ relation }}
    group by {{ keep | join(', ') }}
{%- endmacro %}
