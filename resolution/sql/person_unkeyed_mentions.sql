-- The mentions the ingest rule did not key (every other key is decided
-- again each run), in a stable order. :rule is the rule's evidence.
select source_system, source_entity, batch_id, record_key, role, position, id_number, name, phone
from identity.person_mentions
where not coalesce(evidence = :rule and person_key is not null, false)
order by source_system, source_entity, batch_id, record_key, role, position
