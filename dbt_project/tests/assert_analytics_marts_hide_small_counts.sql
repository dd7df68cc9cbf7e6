-- No leadership-facing count from 1 to var('min_cell_count') - 1 is shown in
-- the analytics marts of security, justice, housing and population flows
-- (shared-model.md: aggregates shown to leadership suppress small cells).
-- Any row returned names the mart, the column and the value that could
-- single someone out.

{%- set counted = {
    'mart_security_trend_monthly': ['incident_count', 'previous_month_incident_count', 'same_month_last_year_incident_count'],
    'mart_justice_monthly': ['received_count', 'resolved_count', 'succeeded_count', 'caseload_count', 'started_count', 'ended_count'],
    'mart_housing_grid': ['unit_count', 'rented_unit_count', 'tenant_count', 'group_rental_unit_count'],
    'mart_population_flows_monthly': ['arrival_count', 'departure_count'],
} %}

{%- for model, columns in counted.items() %}
{%- set model_loop = loop %}
{%- for column in columns %}
select
    '{{ model }}' as mart,
    '{{ column }}' as count_column,
    {{ column }} as shown_count
from {{ ref(model) }}
where {{ column }} > 0
    and {{ column }} < {{ var('min_cell_count') }}
{% if not (loop.last and model_loop.last) %}union all{% endif %}
{%- endfor %}
{%- endfor %}
