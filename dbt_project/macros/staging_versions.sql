{#
  Shared pieces of every staging view. Each clean_* table is append-only
  across batches; staging keeps the latest version of each record.
#}

{# The lineage columns every clean table carries, cast alike on both engines. #}
{% macro lineage_columns() -%}
        {{ dbt.cast('_batch_id', dbt.type_string()) }} as _batch_id,
        {{ dbt.cast('_extracted_at', dbt.type_timestamp()) }} as _extracted_at,
        {{ dbt.cast('_source', dbt.type_string()) }} as _source,
        {{ dbt.cast('_source_row', dbt.type_bigint()) }} as _source_row,
        {{ dbt.cast('_row_hash', dbt.type_string()) }} as _row_hash
{%- endmacro %}

{#
  Number the versions of each record, newest first (version_number 1 is the
  one staging keeps, filtered as `version_number <= 1`: README.md,
  "PostgreSQL"), and the first time any version was extracted.
  Sources with an update time order by it first; rosters and rental filings
  carry none, so the latest extraction wins (updated_at=false).
#}
{% macro version_columns(record_key, updated_at=true) -%}
        row_number() over (
            partition by {{ record_key }}
            order by
                {%- if updated_at %}
                updated_at desc nulls last,
                {%- endif %}
                _extracted_at desc nulls last,
                _batch_id desc nulls last,
                _source_row desc nulls last
        ) as version_number,
        min(_extracted_at) over (partition by {{ record_key }}) as _first_extracted_at
{%- endmacro %}
