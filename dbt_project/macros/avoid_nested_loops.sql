{#
  Keep PostgreSQL from planning nested loops for one model (a pre-hook; on
  DuckDB it renders nothing).

  Some models join a deduplicated staging view to a mention table on
  (batch_id, record_key), where record_key is the view's row number cast to
  text. PostgreSQL has no statistics for a cast column or a window's output and
  assumes the two join keys are independent, so it estimates a handful of rows
  where every register row matches one mention, and then rescans a lookup
  table (divisions, resolved units) once per row in a nested loop. Measured on
  the 100,000-person city: int_house_units_resolved 12.2 s with the nested
  loop over int_divisions_flattened (117 million rows compared), 1.0 s with
  hash joins. The setting is local to the model's transaction.
#}

{% macro avoid_nested_loops() -%}
    {{ return(adapter.dispatch('avoid_nested_loops')()) }}
{%- endmacro %}

{% macro default__avoid_nested_loops() -%}
{%- endmacro %}

{% macro postgres__avoid_nested_loops() -%}
set local enable_nestloop = off
{%- endmacro %}
