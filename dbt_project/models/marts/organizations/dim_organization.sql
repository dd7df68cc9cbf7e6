-- One row per resolved organization: credit code, name, type, status, grid.
-- An organization's code and name are not personal data (L2): the persons
-- behind it are linked only through bridge_person_org.

select
    {{ dbt.cast('org_key', 'varchar') }} as org_key,
    {{ dbt.cast('credit_code', 'varchar') }} as credit_code,
    {{ dbt.cast('has_valid_credit_code', dbt.type_boolean()) }} as has_valid_credit_code,
    {{ dbt.cast('org_name', 'varchar') }} as name,
    {{ dbt.cast('org_type_code', 'varchar') }} as type,
    {{ dbt.cast('status_code', 'varchar') }} as status,
    {{ dbt.cast('founded_date', 'date') }} as founded_date,
    {{ dbt.cast('grid_code', 'varchar') }} as grid_code,
    {{ dbt.cast('is_in_registry', dbt.type_boolean()) }} as is_in_registry
from {{ ref('int_organizations_resolved') }}
