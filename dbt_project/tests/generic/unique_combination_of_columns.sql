{#
  The combination of `combination_of_columns` identifies a row: the test fails
  with one row per duplicated combination. A model-level key test for grains
  made of several columns (dbt has no built-in one, and we use no packages).
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as row_count
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}
