{#
  Readable gender for a GB/T 2261.1 gender code: 1 male, 2 female, 0 unknown,
  9 not stated. The clean step already maps the words 男/女 to codes; a missing
  code reads as unknown.
#}
{% macro gender_name(gender_code) -%}
    case {{ gender_code }}
        when '1' then 'male'
        when '2' then 'female'
        when '9' then 'not_stated'
        else 'unknown'
    end
{%- endmacro %}
