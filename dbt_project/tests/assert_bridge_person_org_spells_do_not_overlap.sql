-- bridge_person_org keeps history as disjoint spells: no two spells of the
-- same person, organization and role overlap, and none ends before it starts.

{{ config(meta={'dagster': {'ref': {'name': 'bridge_person_org'}}}) }}

{{ spells_overlapping(ref('bridge_person_org'), 'person_org_key', ['person_key', 'org_key', 'role']) }}
