-- How many person mentions there are, how many the ingest rule keyed by a
-- valid identity number, and how many persons those keys name (the linkage
-- prior is one in persons). :rule is the rule's evidence.
select
    count(*) as mentions,
    count(case when evidence = :rule and person_key is not null then 1 end) as keyed,
    count(distinct case when evidence = :rule and person_key is not null then person_key end) as persons
from identity.person_mentions
