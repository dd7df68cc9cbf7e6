-- Which candidate surrogates (person_resolution_keys: person_key) are person
-- keys the ingest rule gave. :rule is the rule's evidence.
select distinct m.person_key
from identity.person_mentions as m
join identity.person_resolution_keys as k on m.person_key = k.person_key
where m.evidence = :rule
