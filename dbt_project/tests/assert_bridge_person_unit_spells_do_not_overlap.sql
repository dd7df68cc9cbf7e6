-- bridge_person_unit keeps history as disjoint spells: no two spells of the
-- same person, unit and role overlap (half-open [valid_from, valid_to), null
-- meaning unbounded), and no spell ends before it starts. A row returned is a
-- pair of overlapping spells, or an inverted one (paired with itself).

{{ config(meta={'dagster': {'ref': {'name': 'bridge_person_unit'}}}) }}

{{ spells_overlapping(ref('bridge_person_unit'), 'person_unit_key', ['person_key', 'unit_key', 'role']) }}
