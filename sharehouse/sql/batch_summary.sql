-- Reconciliation per source entity: what was delivered and where each row went.
select
    source_system,
    source_entity,
    count(*) as batches,
    sum(case when status = 'refused' then 1 else 0 end) as batches_refused,
    sum(rows_delivered) as rows_delivered,
    sum(rows_loaded) as rows_loaded,
    sum(rows_quarantined) as rows_quarantined,
    sum(rows_duplicate) as rows_duplicate,
    sum(fields_dropped) as fields_dropped
from ops.batch_log
group by source_system, source_entity
order by source_system, source_entity
