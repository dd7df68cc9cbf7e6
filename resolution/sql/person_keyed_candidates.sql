-- The keyed mentions that may meet an unkeyed one: those whose name is a
-- spelling of an unkeyed mention's name key (person_resolution_names: name,
-- name_key) and those whose number is one edit from an unkeyed mention's
-- (person_resolution_numbers: id_number). _near says which are the latter.
-- :rule is the ingest rule's evidence.
select
    m.source_system, m.source_entity, m.batch_id, m.record_key, m.role, m.position,
    m.id_number, m.name, m.phone, m.person_key, n.name_key,
    m.id_number in (select id_number from identity.person_resolution_numbers) as _near
from identity.person_mentions as m
left join identity.person_resolution_names as n on m.name = n.name
where m.evidence = :rule and m.person_key is not null
    and (n.name is not null or m.id_number in (select id_number from identity.person_resolution_numbers))
