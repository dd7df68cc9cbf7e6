{#
  Use a model's custom schema as given (staging, intermediate, marts) instead of
  dbt's default "<target schema>_<custom schema>": the folder is the schema, and
  grants, the sharing catalogue and Dagster asset keys name schemas exactly
  (conventions.md section 2, architecture.md "Warehouses").
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
