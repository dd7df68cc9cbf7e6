"""Dagster definitions of the resolution concern: reference data and entity resolution.

The assets use the ``sources`` and ``warehouse`` resources the ingest
concern defines; ``orchestration/definitions.py`` merges both.
"""

import dagster as dg

from orchestration.defs.resolution.grids import reference_divisions
from orchestration.defs.resolution.organizations import org_mentions
from orchestration.defs.resolution.persons import person_mentions
from orchestration.defs.resolution.units import unit_mentions

defs = dg.Definitions(assets=[reference_divisions, unit_mentions, org_mentions, person_mentions])
