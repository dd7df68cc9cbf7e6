{#
  Give PostgreSQL's planner statistics on the tables a build reads.

  PostgreSQL plans a join from each table's statistics (row count, distinct
  values, most common values). A table written moments ago has none until
  autovacuum's next pass, and none at all where autovacuum is off: the
  planner then guesses one row for a filtered mention table and picks nested
  loops that rescan it for every row of the other side (at 50,000 persons
  bridge_person_unit took 40 minutes, with the plans README.md describes). DuckDB keeps its
  statistics as it writes, so on DuckDB both macros render nothing.

  analyze_sources()  on-run-start: every source table that exists (the clean_*,
                     identity, ops, quarantine and reference tables that
                     ingest and resolution wrote before this build).
  analyze_table()    post-hook of every model: the table just built (views
                     have no statistics of their own).

  ANALYZE samples a fixed number of rows (300 x default_statistics_target), so
  it takes about a second even on the million-person city's largest tables.
  A table this role does not own is skipped with a warning, not an error.
#}

{% macro analyze_sources() -%}
    {{ return(adapter.dispatch('analyze_sources')()) }}
{%- endmacro %}

{% macro default__analyze_sources() -%}
{%- endmacro %}

{% macro postgres__analyze_sources() -%}
    {%- if execute -%}
        {%- for node in graph.sources.values() -%}
            {%- set relation = adapter.get_relation(
                database=node.database, schema=node.schema, identifier=node.identifier
            ) -%}
            {%- if relation is not none and relation.is_table %}
analyze {{ relation }};
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{% macro analyze_table() -%}
    {{ return(adapter.dispatch('analyze_table')()) }}
{%- endmacro %}

{% macro default__analyze_table() -%}
{%- endmacro %}

{% macro postgres__analyze_table() -%}
    {%- if config.get('materialized') in ('table', 'incremental') -%}
analyze {{ this }}
    {%- endif -%}
{%- endmacro %}
