{#
  Turn successive deliveries of a record into spells of who held a role.

  `relation` holds one row per delivery of an entity (a house unit, an
  organization): `entity_key`, `holder_key` (the person holding the role in
  that delivery, null when none or not a person), `observed_at` (when the
  delivery was extracted) and `batch_id` (to order deliveries of one
  extraction). A spell is a run of consecutive deliveries with the same
  holder; it is valid from its first delivery to the first delivery of the
  next spell. The first spell of an entity starts at an unknown date (null):
  the holder held the role before the warehouse first saw the entity.

  Returns entity_key, holder_key, valid_from, valid_to (dates) for the spells
  with a holder.
#}
{% macro observed_spells(relation) -%}
    select
        entity_key,
        holder_key,
        case when spell_number = 1 then null else cast(min(observed_at) as date) end as valid_from,
        cast(max(next_spell_observed_at) as date) as valid_to
    from (
        select
            entity_key,
            holder_key,
            observed_at,
            spell_number,
            -- The first delivery of the following spell ends this one.
            min(case when starts_spell = 1 then observed_at end) over (
                partition by entity_key
                order by observed_at, batch_id
                rows between 1 following and unbounded following
            ) as next_spell_observed_at
        from (
            select
                entity_key,
                holder_key,
                observed_at,
                batch_id,
                starts_spell,
                sum(starts_spell) over (
                    partition by entity_key
                    order by observed_at, batch_id
                    rows between unbounded preceding and current row
                ) as spell_number
            from (
                select
                    entity_key,
                    holder_key,
                    observed_at,
                    batch_id,
                    case
                        when lag(observed_at) over (partition by entity_key order by observed_at, batch_id) is null then 1
                        when coalesce(holder_key, '') <> coalesce(
                            lag(holder_key) over (partition by entity_key order by observed_at, batch_id), ''
                        ) then 1
                        else 0
                    end as starts_spell
                from {{ relation }}
            ) as flagged
        ) as numbered
    ) as bounded
    where holder_key is not null
    group by entity_key, holder_key, spell_number
{%- endmacro %}
