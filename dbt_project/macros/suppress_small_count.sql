{#
  Hide a count that could single someone out: null when it is between 1 and
  var('min_cell_count') - 1 (shared-model.md: aggregates shown to leadership
  suppress cells below a minimum count). Zero is kept: an empty cell discloses
  nobody.
#}
{% macro suppress_small_count(count_expression) -%}
    case
        when {{ count_expression }} > 0 and {{ count_expression }} < {{ var('min_cell_count') }} then null
        else {{ count_expression }}
    end
{%- endmacro %}
