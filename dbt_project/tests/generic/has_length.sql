{#
  Every non-null value of the column is exactly `length` characters long
  (e.g. 12-digit division codes).
#}
{% test has_length(model, column_name, length) %}

select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null
  and {{ dbt.length(column_name) }} <> {{ length }}

{% endtest %}
