-- Every delivered row is accounted for (shared-model.md: "lose nothing
-- silently"): per batch, delivered = loaded + quarantined + duplicates, and
-- what the ledger says was loaded and quarantined is what the clean table and
-- the quarantine hold for the batch. Any row returned is a batch whose rows
-- went missing, or were counted twice, somewhere between delivery and the
-- warehouse.

select
    source_system,
    source_entity,
    batch_id,
    rows_delivered,
    rows_loaded,
    rows_quarantined,
    rows_duplicate,
    rows_loaded_found,
    rows_quarantined_found
from {{ ref('mart_data_quality') }}
where rows_delivered <> rows_loaded + rows_quarantined + rows_duplicate
    or rows_loaded <> rows_loaded_found
    or rows_quarantined <> rows_quarantined_found
