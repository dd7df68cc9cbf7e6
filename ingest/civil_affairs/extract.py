"""Read civil-affairs records from the HTTP API, incrementally on ``updatedAt``. I/O only."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import polars as pl

from ingest.common import source_facts
from ingest.common.batches import DeliveredBatch
from ingest.common.headers import map_headers
from ingest.common.http import ApiError, RetryPolicy, fetch_all


def extract_endpoint(
    base_url: str, token: str, entity: str, since: str | None, *, retry: RetryPolicy | None = None
) -> DeliveredBatch | None:
    """Read one endpoint's records updated since the watermark as one batch.

    Returns ``None`` when the API has nothing new. A page that keeps failing
    becomes a refused batch carrying the error, so the run reports it and the
    watermark stays put: the next run resumes from the same point.
    """
    facts = source_facts.entity(__file__, entity)
    params = {"updatedSince": since} if since else {}
    called_at = datetime.now(timezone.utc).replace(tzinfo=None)
    url = f"{base_url}{facts['endpoint']}"
    try:
        records = fetch_all(
            base_url, facts["endpoint"], token=token, params=params,
            page_size=source_facts.load(__file__)["page_size"], retry=retry,
        )
    except ApiError as error:
        # The records read before the failure are not loaded: the watermark
        # stays put and the next run asks again from it, so none is lost and
        # none is loaded twice.
        return DeliveredBatch(
            batch_id=f"{entity}:{since or 'start'}@{called_at:%Y%m%dT%H%M%S%f}", source=url, frame=None,
            delivered_at=called_at,
            refused=f"{error}. Nothing was loaded from this call; the next run reads again from "
            f"{'updatedSince=' + since if since else 'the first record'}",
        )
    if not records:
        return None
    headers = list(dict.fromkeys(key for record in records for key in record))
    mapping = map_headers(headers, source_facts.aliases(__file__, entity))
    frame = pl.DataFrame(
        [[_text(record.get(header)) for header in headers] for record in records],
        schema={header: pl.Utf8 for header in headers},
        orient="row",
    ).drop(mapping.dropped).rename(mapping.rename)
    frame = frame.with_columns(pl.int_range(1, frame.height + 1, dtype=pl.Int64).alias("_source_row"))
    upper = frame["updated_at"].max()
    return DeliveredBatch(
        batch_id=f"{entity}:{since or 'start'}..{upper}",
        source=url,
        frame=frame,
        delivered_at=called_at,
        dropped_fields=mapping.dropped,
    )


def _text(value: object) -> str | None:
    """Keep API values as delivered text; nested values (lists, objects) as JSON."""
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
