-- Set the resolved key and evidence of the unkeyed mentions, in one
-- statement, from person_resolution_scratch (mention columns, person_key, evidence).
update identity.person_mentions as m
set person_key = s.person_key, evidence = s.evidence
from identity.person_resolution_scratch as s
where m.source_system = s.source_system and m.source_entity = s.source_entity and m.batch_id = s.batch_id
    and m.record_key = s.record_key and m.role = s.role and m.position = s.position
