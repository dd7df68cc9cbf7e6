{#
  Merge the validity intervals of one relation into non-overlapping history.

  `relation` holds one row per observed interval: the `partition_by` columns
  (e.g. person_key, unit_key, role), `valid_from` and `valid_to` (dates,
  half-open [valid_from, valid_to); null valid_from = since an unknown date,
  null valid_to = still valid). Intervals of the same partition that overlap
  or touch become one row, from the earliest start to the latest end, so the
  bridges hold each spell once however many records (re-deliveries, renewals,
  a register and a rental naming the same tenancy) report it.

  Portable SQL (window frames, no engine-specific functions): an interval
  starts a new spell when it begins after every earlier one (ordered by
  start) has ended.
#}
{% macro merge_validity_intervals(relation, partition_by) -%}
    {%- set open_start = "cast('0001-01-01' as date)" -%}
    {%- set open_end = "cast('9999-12-31' as date)" -%}
    {%- set partition = partition_by | join(', ') -%}

    select
        {{ partition }},
        -- A spell with an interval of unknown start starts at an unknown date.
        case when count(valid_from) < count(*) then null else min(valid_from) end as valid_from,
        case when count(valid_to) < count(*) then null else max(valid_to) end as valid_to,
        count(*) as interval_count
    from (
        select
            {{ partition }},
            valid_from,
            valid_to,
            sum(starts_spell) over (
                partition by {{ partition }}
                order by sort_start, sort_end
                rows between unbounded preceding and current row
            ) as spell_number
        from (
            select
                {{ partition }},
                valid_from,
                valid_to,
                coalesce(valid_from, {{ open_start }}) as sort_start,
                coalesce(valid_to, {{ open_end }}) as sort_end,
                case
                    when coalesce(valid_from, {{ open_start }}) > max(coalesce(valid_to, {{ open_end }})) over (
                        partition by {{ partition }}
                        order by coalesce(valid_from, {{ open_start }}), coalesce(valid_to, {{ open_end }})
                        rows between unbounded preceding and 1 preceding
                    ) then 1
                    -- The first interval of a partition has no earlier one.
                    when max(coalesce(valid_to, {{ open_end }})) over (
                        partition by {{ partition }}
                        order by coalesce(valid_from, {{ open_start }}), coalesce(valid_to, {{ open_end }})
                        rows between unbounded preceding and 1 preceding
                    ) is null then 1
                    else 0
                end as starts_spell
            from {{ relation }}
        ) as flagged
    ) as numbered
    group by {{ partition }}, spell_number
{%- endmacro %}
