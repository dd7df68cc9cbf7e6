-- House-unit mentions, pseudonymous columns only: where a record names a unit
-- (record key, role, position), the unit_key and grid resolution gave it, and
-- the evidence. The address text and its components stay in the identity schema.

{{ pseudonymous_mentions('unit_mentions', 'unit_key', extra=['grid_code']) }}
