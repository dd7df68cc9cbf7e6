"""Justice deliveries: one Excel workbook per month, one sheet per roster.

First version: sheet ``社区矫正`` (community corrections) in
``司法名册_YYYYMM.xlsx`` for the span's last `justice_months` months. Sheets
``人民调解`` and ``安置帮教`` come later.

Layout as the justice bureau's template prints it: row 1 a merged title, row 2
headers, data rows, and a ``合计`` total row. Dates are typed by hand: most are
real Excel dates, some are text.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import numpy as np
import xlsxwriter

from simulator.config import month_end, month_start
from simulator.formats import iso_dates
from simulator.noise import NoiseInjector, combine_issues
from simulator.randomness import stream
from simulator.truth import Mentions, Truth
from simulator.world import World

SOURCE_SYSTEM = "justice"
CORRECTIONS_SHEET = "社区矫正"
CORRECTIONS_HEADERS = (
    "序号", "姓名", "身份证号", "矫正类别", "矫正起始日期", "矫正终止日期", "执行地司法所", "居住地址", "状态",
)
ACTIVE = "在矫"
RELEASED = "解矫"
TOTAL_LABEL = "合计"
_DATE_COLUMNS = (4, 5)


def workbook_name(month: date) -> str:
    """Return the file name of a month's roster workbook."""
    return f"司法名册_{month:%Y%m}.xlsx"


def deliver(world: World, out_dir: Path, truth: Truth) -> None:
    """Write the monthly workbooks and record one batch per workbook."""
    folder = out_dir / "justice"
    folder.mkdir(parents=True, exist_ok=True)
    config = world.config
    for offset in range(config.roster_months - 1, -1, -1):
        month = month_start(config.end_date, -offset)
        name = workbook_name(month)
        _write_corrections_workbook(world, folder / name, month, truth)


def _write_corrections_workbook(world: World, path: Path, month: date, truth: Truth) -> None:
    rows, mentions, text_dates = community_corrections(world, month)
    last_day = month_end(month)
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True})
    # A fixed creation time keeps the file byte-identical between runs.
    workbook.set_properties({"created": datetime(last_day.year, last_day.month, last_day.day, 17, 0, 0)})
    sheet = workbook.add_worksheet(CORRECTIONS_SHEET)
    title_format = workbook.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
    header_format = workbook.add_format({"bold": True, "border": 1, "align": "center"})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    title = f"{world.divisions.city.name}社区矫正对象名册（{month.year}年{month.month}月）"
    sheet.merge_range(0, 0, 0, len(CORRECTIONS_HEADERS) - 1, title, title_format)
    sheet.write_row(1, 0, CORRECTIONS_HEADERS, header_format)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if c in _DATE_COLUMNS and not text_dates[r][_DATE_COLUMNS.index(c)]:
                sheet.write_datetime(2 + r, c, datetime.fromisoformat(value), date_format)
            elif c == 0:
                sheet.write_number(2 + r, c, value)
            elif value:
                # Identity numbers must stay text, or Excel rounds them to 15 digits.
                sheet.write_string(2 + r, c, value)
    sheet.write_string(2 + len(rows), 0, TOTAL_LABEL)
    sheet.write_string(2 + len(rows), 1, f"共{len(rows)}人")
    for c, width in enumerate((6, 10, 22, 12, 14, 14, 16, 50, 8)):
        sheet.set_column(c, c, width)
    workbook.close()
    truth.record(SOURCE_SYSTEM, "community_corrections", path.name, path.name, len(rows), mentions)


def community_corrections(world: World, month: date) -> tuple[list[tuple], Mentions, list[tuple[bool, bool]]]:
    """Build one month's roster: cases under supervision at some time that month.

    A case released during the month is listed as ``解矫`` and drops off the
    next month's roster.

    Returns:
        Rows in `CORRECTIONS_HEADERS` order (dates as ``YYYY-MM-DD`` unless
        typed as text), the truth mentions, and per row whether the start and
        end dates are typed as text.
    """
    config, population, cases = world.config, world.population, world.events.corrections
    key = f"{month:%Y%m}"
    rng = stream(config.seed, f"justice/community_corrections/{key}")
    noise = NoiseInjector(config.noise_rates, stream(config.seed, f"noise/justice/community_corrections/{key}"))
    first = np.datetime64(month, "D")
    last = np.datetime64(month_end(month), "D")
    listed = np.flatnonzero((cases.start <= last) & (cases.end >= first))
    listed = listed[np.lexsort((cases.person[listed], cases.start[listed]))]
    count = len(listed)
    persons = cases.person[listed]

    ids = noise.identity_numbers([population.id_number[p] for p in persons.tolist()])
    names = noise.names([population.name[p] for p in persons.tolist()])
    as_text = rng.random((count, 2)) < config.justice_text_date_share
    starts = iso_dates(cases.start[listed])
    ends = iso_dates(cases.end[listed])
    start_text = noise.dates(starts)
    end_text = noise.dates(ends)

    units = world.households.unit[population.household[persons]]
    streets = world.divisions.streets
    rows: list[tuple] = []
    issues: list[str] = []
    for i, person in enumerate(persons.tolist()):
        unit = int(units[i])
        street = streets[int(world.divisions.community_street[world.units.community[unit]])]
        start_value = start_text.values[i] if as_text[i, 0] else starts[i]
        end_value = end_text.values[i] if as_text[i, 1] else ends[i]
        rows.append(
            (
                i + 1,
                names.values[i],
                ids.values[i],
                str(cases.category[listed[i]]),
                start_value,
                end_value,
                street.name.removesuffix("街道") + "司法所",
                world.units.address[unit],
                RELEASED if cases.end[listed[i]] <= last else ACTIVE,
            )
        )
        issues.append(
            combine_issues(
                [ids.issues[i]],
                [names.issues[i]],
                [start_text.issues[i] if as_text[i, 0] else ""],
                [end_text.issues[i] if as_text[i, 1] else ""],
            )[0]
        )
    mentions = Mentions()
    mentions.extend(
        row_number=range(1, count + 1),
        record_key=[str(i + 1) for i in range(count)],
        role="subject",
        person_id=[population.person_id(p) for p in persons.tolist()],
        noise=issues,
        unrecoverable=ids.unrecoverable,
    )
    return rows, mentions, [tuple(flags) for flags in as_text.tolist()]
