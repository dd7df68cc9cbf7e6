"""Jobs and schedules over every concern's assets."""

import dagster as dg

# The whole pipeline: every department's new deliveries through raw, the gate,
# clean, dbt and the dashboards. `sharehouse run` executes this job.
sharehouse_job = dg.define_asset_job(
    "sharehouse",
    selection=dg.AssetSelection.all(),
    description="Every department's new deliveries through raw, the quality gate, clean, dbt models and marts.",
)

# Departments deliver overnight (housing increments daily, police and civil
# affairs incrementally); 02:00 local time loads what arrived the day before.
nightly_schedule = dg.ScheduleDefinition(
    name="sharehouse_nightly",
    job=sharehouse_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)
