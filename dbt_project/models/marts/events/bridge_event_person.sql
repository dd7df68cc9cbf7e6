-- Every person each fact's event names, in the role and position the record
-- gives: the persons involved in an incident, the parties of a mediation case
-- or a marriage, the deceased, a subsistence household's head and members, a
-- corrections subject. Rows of subsistence, corrections and deaths make the
-- person_key sensitive (L4).

select
    {{ dbt.cast(dbt.hash(dbt.concat([
        'fact_name', "'|'", 'event_key', "'|'", 'role', "'|'", dbt.cast('position', dbt.type_string()),
    ])), 'varchar') }} as event_person_key,
    {{ dbt.cast('fact_name', 'varchar') }} as fact_name,
    {{ dbt.cast('event_key', 'varchar') }} as event_key,
    {{ dbt.cast('role', 'varchar') }} as role,
    {{ dbt.cast('position', dbt.type_bigint()) }} as position,
    {{ dbt.cast('person_key', 'varchar') }} as person_key,
    {{ dbt.cast('evidence', 'varchar') }} as evidence
from {{ ref('int_event_persons') }}
