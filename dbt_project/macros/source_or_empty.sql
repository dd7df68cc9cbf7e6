{#
  Select from a source table, or from an empty relation of the same columns
  when the table does not exist yet.

  The identity mention tables are written by the resolution assets and
  reference.divisions by the reference load; a warehouse built before those
  have run (a first demo run, an older warehouse) must still build every
  model, with null keys and empty dimensions, rather than fail. The empty
  relation takes its columns and types from the source's YAML (`data_type` of
  each column), so a model reads the same columns either way. dbt records the
  dependency on the source in both cases.
#}
{% macro source_or_empty(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- if not execute -%}
        {{ relation }}
    {%- else -%}
        {%- set existing = adapter.get_relation(
            database=relation.database, schema=relation.schema, identifier=relation.identifier
        ) -%}
        {%- if existing is not none -%}
            {{ relation }}
        {%- else -%}
            {%- set node = graph.sources.values()
                | selectattr('source_name', 'equalto', source_name)
                | selectattr('name', 'equalto', table_name)
                | first -%}
            {{ log("source " ~ source_name ~ "." ~ table_name ~ " does not exist yet: read as empty", info=True) }}
            (
                select
                {%- for column in node.columns.values() %}
                    cast(null as {{ column.data_type }}) as {{ column.name }}{{ "," if not loop.last }}
                {%- endfor %}
                where 1 = 0
            )
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
