-- Person mentions per batch and how many of them carry a person_key. Reads
-- identity.person_mentions through stg_identity__person_mentions, which
-- exposes only its pseudonymous columns, so nothing clear leaves the identity
-- schema.
-- evidence tells how a key was found: `rule:id_number` (a valid identity
-- number), `match:p=...` (probabilistic linkage), `new:...` (a new surrogate
-- for a person no other mention matched).

with

mentions as (

    select
        source_system,
        source_entity,
        batch_id,
        person_key,
        evidence
    from {{ ref('stg_identity__person_mentions') }}

)

select
    source_system,
    source_entity,
    batch_id,
    count(*) as person_mentions,
    sum(case when person_key is not null then 1 else 0 end) as person_mentions_linked,
    sum(case when evidence like 'rule:%' then 1 else 0 end) as person_mentions_linked_by_rule,
    sum(case when evidence like 'match:%' then 1 else 0 end) as person_mentions_linked_by_match
from mentions
group by
    source_system,
    source_entity,
    batch_id
