-- Person mentions, pseudonymous columns only: where a record names a person
-- (record key, role, position) and the person_key resolution gave the mention,
-- with the evidence. id_number, name and phone stay in the identity schema.

{{ pseudonymous_mentions('person_mentions', 'person_key') }}
