-- Organization mentions, pseudonymous columns only: where a record names an
-- organization (record key, role, position), the org_key resolution gave it,
-- its credit code as mentioned (an organization's code is not personal) and
-- the evidence. The mentioned name and address stay in the identity schema.

{{ pseudonymous_mentions('org_mentions', 'org_key', extra=['credit_code']) }}
