"""Every department's datasets and the pipeline that loads them, in one table.

Orchestration builds one asset per entry; nothing else enumerates departments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ingest.civil_affairs import pipeline as civil_affairs_pipeline
from ingest.civil_affairs.schema import DATASETS as CIVIL_AFFAIRS_DATASETS
from ingest.common import warehouse
from ingest.common.batches import BatchOutcome, Dataset, ensure_tables
from ingest.housing import pipeline as housing_pipeline
from ingest.housing.schema import DATASETS as HOUSING_DATASETS
from ingest.justice import pipeline as justice_pipeline
from ingest.justice.schema import DATASETS as JUSTICE_DATASETS
from ingest.police import pipeline as police_pipeline
from ingest.police.schema import DATASETS as POLICE_DATASETS
from ingest.sources import Sources
from sharehouse.settings import Warehouse


@dataclass(frozen=True)
class Department:
    """A department: its slug, its datasets and its pipeline's ``run``."""

    slug: str
    name: str
    datasets: tuple[Dataset, ...]
    run: Callable[..., list[BatchOutcome]]


DEPARTMENTS = (
    Department("police", "公安", POLICE_DATASETS, police_pipeline.run),
    Department("civil_affairs", "民政", CIVIL_AFFAIRS_DATASETS, civil_affairs_pipeline.run),
    Department("housing", "住建", HOUSING_DATASETS, housing_pipeline.run),
    Department("justice", "司法", JUSTICE_DATASETS, justice_pipeline.run),
)


def load_dataset(
    sources: Sources,
    target: Warehouse,
    department: Department,
    dataset: Dataset,
    *,
    secret: bytes,
    extracted_at: datetime,
) -> list[BatchOutcome] | None:
    """Load one dataset's new deliveries; ``None`` when the sources file leaves the department out.

    The dataset's tables exist afterwards either way, so downstream models build.
    """
    source = getattr(sources, department.slug)
    with warehouse.connect(target) as connection:
        outcomes = None
        if source is not None:
            outcomes = department.run(connection, source, dataset, secret=secret, extracted_at=extracted_at)
        ensure_tables(connection, dataset, secret=secret)
        return outcomes
