"""Justice deliveries: one Excel workbook per month, one sheet per roster.

``司法名册_YYYYMM.xlsx`` for every month of the span (or the last
`justice_months`), with sheets ``社区矫正`` (community corrections),
``人民调解`` (mediation cases) and ``安置帮教`` (resettlement support).

Layout as the justice bureau's template prints it: row 1 a merged title, row 2
headers, data rows, and usually a ``合计`` total row. Dates are typed by hand:
most are real Excel dates, some are text in one of the contract's forms, some
a bare Excel serial number (as a number or as text). Some months rename a
header (``身份证号`` / ``公民身份号码`` / ``证件号码``), add or reorder
columns, add an out-of-scope column (民族, 政治面貌...) or an extra sheet; a
workbook may be sent twice (``司法名册补报_YYYYMM.xlsx``), cut short or empty.
Each sheet is one batch, named ``<file>#<sheet>``.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import numpy as np
import xlsxwriter

from simulator.batches import BROKEN_EXTRA_SHEET, BROKEN_TRUNCATED, UNIT, Batch
from simulator.config import month_end, month_start
from simulator.deliveries.common import DriftPlan, injector, person_mention, plan_drifts, sensitive
from simulator.deliveries.police import _origin_addresses
from simulator.formats import iso_dates
from simulator.justice_cases import DISPUTE_TYPES, ENDED, FAILED, ONGOING, SUCCEEDED, SUPPORTED
from simulator.noise import FieldNoise, NoiseInjector
from simulator.people import REGISTERED
from simulator.randomness import stream
from simulator.sensitive import CHINESE_HEADERS
from simulator.truth import Truth
from simulator.world import World

SOURCE_SYSTEM = "justice"
CORRECTIONS_SHEET = "社区矫正"
MEDIATION_SHEET = "人民调解"
RESETTLEMENT_SHEET = "安置帮教"
CORRECTIONS_HEADERS = (
    "序号", "姓名", "身份证号", "矫正类别", "矫正起始日期", "矫正终止日期", "执行地司法所", "居住地址", "状态",
)
MEDIATION_HEADERS = (
    "案件编号", "受理日期", "纠纷类型", "当事人", "纠纷发生地", "调解组织", "调解结果", "结案日期", "协议金额",
)
RESETTLEMENT_HEADERS = ("姓名", "身份证号", "释放日期", "户籍地址", "现住址", "帮教状态")
SHEETS = {
    CORRECTIONS_SHEET: ("community_corrections", CORRECTIONS_HEADERS, "社区矫正对象名册"),
    MEDIATION_SHEET: ("mediation_cases", MEDIATION_HEADERS, "人民调解案件登记表"),
    RESETTLEMENT_SHEET: ("resettlement_cases", RESETTLEMENT_HEADERS, "安置帮教对象名册"),
}
RENAMES: dict[str, tuple[str, ...]] = {
    "身份证号": ("公民身份号码", "证件号码", "身份证号码"),
    "矫正起始日期": ("起始日期",),
    "矫正终止日期": ("终止日期",),
    "居住地址": ("现住址",),
    "受理日期": ("登记日期",),
    "当事人": ("当事人信息",),
    "释放日期": ("刑满释放日期",),
    "现住址": ("现居住地址",),
}
ADDED_COLUMN = "备注"
ACTIVE = "在矫"
RELEASED = "解矫"
TOTAL_LABEL = "合计"
RESENT_PREFIX = "司法名册补报"
# Extra sheets clerks leave in a workbook.
EXTRA_SHEETS = ("说明", "Sheet1", "统计")
# Share of sheets that end with a 合计 row ("may be", says the contract).
_TOTAL_ROW_SHARE = 0.85
_DATE_FORM_ISSUES = ("date_slashes", "date_compact", "date_chinese")
_BAD_DATE_ISSUES = ("date_placeholder", "date_impossible", "date_future")


def workbook_name(month: date, prefix: str = "司法名册") -> str:
    """Return the file name of a month's roster workbook."""
    return f"{prefix}_{month:%Y%m}.xlsx"


def deliver(world: World, out_dir: Path, truth: Truth) -> None:
    """Write the monthly workbooks and record one batch per sheet."""
    folder = out_dir / "justice"
    folder.mkdir(parents=True, exist_ok=True)
    config = world.config
    months = [month_start(config.end_date, -offset) for offset in range(config.roster_months - 1, -1, -1)]
    noise = injector(world, "justice/workbooks")
    plans = plan_drifts(noise, len(months))
    extra = noise.pick_batches(len(months), noise.rates.extra_sheet)
    truncated = noise.pick_batches(len(months), noise.rates.broken_truncated)
    empty = noise.pick_batches(len(months), noise.rates.broken_empty) & ~truncated
    resent = noise.pick_batches(len(months), noise.rates.duplicate_batch) & ~truncated & ~empty
    attributes = sensitive(world)
    for m, month in enumerate(months):
        name = workbook_name(month)
        batches = [
            community_corrections(world, month, name),
            mediation_cases(world, month, name),
            resettlement_cases(world, month, name),
        ]
        plan: DriftPlan = plans[m]
        for batch in batches:
            batch.duplicate_rows(injector(world, f"justice/duplicates/{batch.source}").duplicates(len(batch.rows)))
            plan.apply(batch, attributes, RENAMES, ADDED_COLUMN, CHINESE_HEADERS)
        extra_sheet = EXTRA_SHEETS[m % len(EXTRA_SHEETS)] if extra[m] else None
        content = _workbook(world, month, batches, extra_sheet, noise.rng)
        if extra_sheet:
            for batch in batches:
                batch.broken = BROKEN_EXTRA_SHEET
        if truncated[m]:
            content = content[: int(len(content) * noise.rng.uniform(0.3, 0.9))]
            for batch in batches:
                batch.mark_unreadable(BROKEN_TRUNCATED)
        elif empty[m]:
            content = b""
            for batch in batches:
                batch.empty_out()
        (folder / name).write_bytes(content)
        for batch in batches:
            truth.record(batch)
        if resent[m]:
            again = workbook_name(month, RESENT_PREFIX)
            (folder / again).write_bytes(content)
            for batch in batches:
                copy = Batch(
                    SOURCE_SYSTEM, batch.source_entity, f"{again}#{batch.source.split('#')[1]}",
                    f"{again}#{batch.source.split('#')[1]}", batch.headers, None, batch.delivered_at,
                )
                copy.resend(batch)
                copy.drift = batch.drift
                copy.broken = batch.broken
                truth.record(copy)


def _workbook(
    world: World, month: date, batches: list[Batch], extra_sheet: str | None, rng: np.random.Generator
) -> bytes:
    last_day = month_end(month)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    # A fixed creation time keeps the file byte-identical between runs.
    workbook.set_properties({"created": datetime(last_day.year, last_day.month, last_day.day, 17, 0, 0)})
    formats = {
        "title": workbook.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}),
        "header": workbook.add_format({"bold": True, "border": 1, "align": "center"}),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
    }
    for batch in batches:
        sheet_name = batch.source.split("#")[1]
        title = f"{world.divisions.city.name}{SHEETS[sheet_name][2]}（{month.year}年{month.month}月）"
        sheet = workbook.add_worksheet(sheet_name)
        headers = batch.delivered_headers()
        sheet.merge_range(0, 0, 0, len(headers) - 1, title, formats["title"])
        sheet.write_row(1, 0, headers, formats["header"])
        rows = batch.delivered_rows()
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                _write_cell(sheet, 2 + r, c, value, formats)
        if rng.random() < _TOTAL_ROW_SHARE:
            unit = "件" if sheet_name == MEDIATION_SHEET else "人"
            sheet.write_string(2 + len(rows), 0, TOTAL_LABEL)
            sheet.write_string(2 + len(rows), 1, f"共{len(rows)}{unit}")
        for c, header in enumerate(headers):
            sheet.set_column(c, c, 40 if ("地" in header or header.startswith("当事人")) else 14)
    if extra_sheet is not None:
        sheet = workbook.add_worksheet(extra_sheet)
        if extra_sheet == "说明":
            sheet.write_string(0, 0, "本表由各司法所填报，数据截至月末。")
        elif extra_sheet == "统计":
            sheet.write_row(0, 0, ("名册", "人数"))
            for r, batch in enumerate(batches, start=1):
                sheet.write_row(r, 0, (batch.source.split("#")[1], len(batch.sequence)))
    workbook.close()
    return buffer.getvalue()


def _write_cell(sheet, row: int, column: int, value, formats) -> None:
    if value is None or value == "":
        return
    if isinstance(value, datetime):
        sheet.write_datetime(row, column, value, formats["date"])
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(row, column, value)
    else:
        # Identity numbers must stay text, or Excel rounds them to 15 digits.
        sheet.write_string(row, column, str(value))


def _date_cells(noise: FieldNoise, clean: list[str], as_text: np.ndarray, rng: np.random.Generator) -> list:
    """Turn noisy dates into cell values: Excel dates, text, or serial numbers."""
    cells: list = []
    serial_as_number = rng.random(len(clean)) < 0.5
    for i, value in enumerate(noise.values):
        issue = noise.issues[i]
        if not clean[i]:
            cells.append(None)
        elif issue == "date_excel_serial":
            cells.append(int(value) if serial_as_number[i] else value)
        elif issue:
            cells.append(value)
        elif as_text[i]:
            cells.append(value)
        else:
            cells.append(datetime.fromisoformat(value))
    return cells


def _sheet_batch(month: date, workbook: str, sheet: str) -> Batch:
    entity, headers, _ = SHEETS[sheet]
    last = month_end(month)
    return Batch(
        SOURCE_SYSTEM, entity, f"{workbook}#{sheet}", f"{workbook}#{sheet}", headers, None, f"{last:%Y-%m-%d} 17:00:00"
    )


def _noise(world: World, sheet: str, month: date) -> tuple[NoiseInjector, np.random.Generator]:
    key = f"{month:%Y%m}"
    end = month_end(month)
    return (
        injector(world, f"justice/{sheet}/{key}", today=end),
        stream(world.config.seed, f"justice/{sheet}/{key}"),
    )


def community_corrections(world: World, month: date, workbook: str) -> Batch:
    """Build one month's corrections roster: cases under supervision at some time that month.

    A case released during the month is listed as ``解矫`` and drops off the
    next month's roster.
    """
    config, population, cases = world.config, world.population, world.events.corrections
    noise, rng = _noise(world, CORRECTIONS_SHEET, month)
    first = np.datetime64(month, "D")
    last = np.datetime64(month_end(month), "D")
    listed = np.flatnonzero((cases.start <= last) & (cases.end >= first))
    listed = listed[np.lexsort((cases.person[listed], cases.start[listed]))]
    count = len(listed)
    persons = cases.person[listed]
    true_ids = [population.id_number[p] for p in persons.tolist()]
    true_names = [population.name[p] for p in persons.tolist()]
    ids = noise.identity_numbers(true_ids)
    names = noise.names(true_names)
    as_text = rng.random((count, 2)) < config.justice_text_date_share
    starts = iso_dates(cases.start[listed])
    ends = iso_dates(cases.end[listed])
    start_noise = noise.dates(starts)
    end_noise = noise.dates(ends, future_ok=True)
    start_cells = _date_cells(start_noise, starts, as_text[:, 0], rng)
    end_cells = _date_cells(end_noise, ends, as_text[:, 1], rng)
    units = world.households.unit[population.household[persons]]
    addresses = noise.addresses(units.tolist(), world.addresses)
    streets = world.divisions.streets

    batch = _sheet_batch(month, workbook, CORRECTIONS_SHEET)
    for i, person in enumerate(persons.tolist()):
        unit = int(units[i])
        street = streets[int(world.divisions.community_street[world.units.community[unit]])]
        row = batch.add(
            (
                i + 1,
                names.values[i],
                ids.values[i],
                str(cases.category[listed[i]]),
                start_cells[i],
                end_cells[i],
                street.name.removesuffix("街道") + "司法所",
                addresses.values[i],
                RELEASED if cases.end[listed[i]] <= last else ACTIVE,
            ),
            subject=person,
        )
        person_mention(batch, row, world, person, "corrections_subject", unrecoverable=ids.unrecoverable[i])
        batch.mention(
            row, UNIT, "lives_at", world.units.code[unit], given="address", unrecoverable=addresses.unrecoverable[i]
        )
        batch.note(row, "身份证号", ids, i, true_ids[i], "corrections_subject", 1)
        batch.note(row, "姓名", names, i, true_names[i], "corrections_subject", 1)
        batch.note(row, "矫正起始日期", start_noise, i, starts[i])
        batch.note(row, "矫正终止日期", end_noise, i, ends[i])
        batch.note(row, "居住地址", addresses, i, world.units.address[unit], "lives_at", 1)
    return batch


def mediation_cases(world: World, month: date, workbook: str) -> Batch:
    """Build one month's mediation register: cases open at some time that month.

    A case accepted in one month and closed in a later one is listed in each
    month it was open: as ``调解中`` until its result (a later batch updating
    the same case number).
    """
    config, population = world.config, world.population
    cases = world.mediation
    noise, rng = _noise(world, MEDIATION_SHEET, month)
    first = np.datetime64(month, "D")
    last = np.datetime64(month_end(month), "D")
    open_in_month = (cases.accepted <= last) & (np.isnat(cases.closed) | (cases.closed >= first))
    listed = np.flatnonzero(open_in_month)
    count = len(listed)
    party_lists = [cases.parties_of(c) for c in listed.tolist()]
    parties = np.concatenate(party_lists) if party_lists else np.array([], dtype=np.int64)
    # Identity numbers are often missing: the clerk notes a phone instead.
    by_id = (rng.random(len(parties)) < 0.45) | np.array([not population.phone[p] for p in parties.tolist()], bool)
    true_ids = [population.id_number[p] for p in parties.tolist()]
    true_names = [population.name[p] for p in parties.tolist()]
    true_phones = [population.phone[p] for p in parties.tolist()]
    ids = noise.identity_numbers(true_ids)
    names = noise.names(true_names)
    phones = noise.phones(true_phones, [population.landline[p] for p in parties.tolist()])
    accepted_text = iso_dates(cases.accepted[listed])
    closed_in_month = ~np.isnat(cases.closed[listed]) & (cases.closed[listed] <= last)
    closed_dates = iso_dates(cases.closed[listed])
    closed_text = [text if closed else "" for text, closed in zip(closed_dates, closed_in_month.tolist(), strict=True)]
    as_text = rng.random((count, 2)) < config.justice_text_date_share
    accepted_noise = noise.dates(accepted_text)
    closed_noise = noise.dates(closed_text)
    accepted_cells = _date_cells(accepted_noise, accepted_text, as_text[:, 0], rng)
    closed_cells = _date_cells(closed_noise, closed_text, as_text[:, 1], rng)
    addresses = noise.addresses(cases.place_unit[listed].tolist(), world.addresses)
    communities = world.divisions.communities

    batch = _sheet_batch(month, workbook, MEDIATION_SHEET)
    offset = 0
    for k, case in enumerate(listed.tolist()):
        members = party_lists[k]
        texts = []
        for j in range(offset, offset + len(members)):
            if by_id[j]:
                detail = ids.values[j]
            else:
                detail = phones.values[j]
            texts.append(f"{names.values[j]}({detail})" if detail else names.values[j])
        district = world.district_of_community(int(cases.community[case]))
        year = str(cases.accepted[case])[:4]
        if closed_in_month[k]:
            result = SUCCEEDED if cases.succeeded[case] else FAILED
        else:
            result = ONGOING
        amount = float(cases.amount[case]) if closed_in_month[k] and cases.amount[case] > 0 else None
        row = batch.add(
            (
                f"TJ{world.divisions.districts[district].code[:6]}{year}{case + 1:06d}",
                accepted_cells[k],
                DISPUTE_TYPES[int(cases.dispute[case])],
                "、".join(texts),
                addresses.values[k],
                f"{communities[int(cases.community[case])].name}人民调解委员会",
                result,
                closed_cells[k],
                amount,
            ),
            subject=int(members[0]),
        )
        for position, j in enumerate(range(offset, offset + len(members)), start=1):
            person = int(parties[j])
            if by_id[j]:
                given, bad = ("id_number", bool(ids.unrecoverable[j])) if ids.values[j] else ("name", True)
                batch.note(row, "当事人", ids, j, true_ids[j], "party", position)
            else:
                given, bad = ("phone", bool(phones.unrecoverable[j])) if phones.values[j] else ("name", True)
                batch.note(row, "当事人", phones, j, true_phones[j], "party", position)
            batch.note(row, "当事人", names, j, true_names[j], "party", position)
            person_mention(batch, row, world, person, "party", position=position, given=given, unrecoverable=bad)
        batch.note(row, "受理日期", accepted_noise, k, accepted_text[k])
        batch.note(row, "结案日期", closed_noise, k, closed_text[k])
        batch.note(row, "纠纷发生地", addresses, k, world.units.address[int(cases.place_unit[case])])
        offset += len(members)
    return batch


def resettlement_cases(world: World, month: date, workbook: str) -> Batch:
    """Build one month's resettlement roster: persons under support at some time that month."""
    config, population = world.config, world.population
    cases = world.resettlement
    noise, rng = _noise(world, RESETTLEMENT_SHEET, month)
    first = np.datetime64(month, "D")
    last = np.datetime64(month_end(month), "D")
    listed = np.flatnonzero((cases.released <= last) & (cases.support_end >= first))
    listed = listed[np.lexsort((cases.person[listed], cases.released[listed]))]
    count = len(listed)
    persons = cases.person[listed]
    true_ids = [population.id_number[p] for p in persons.tolist()]
    true_names = [population.name[p] for p in persons.tolist()]
    ids = noise.identity_numbers(true_ids)
    names = noise.names(true_names)
    released_text = iso_dates(cases.released[listed])
    released_noise = noise.dates(released_text)
    released_cells = _date_cells(released_noise, released_text, rng.random(count) < config.justice_text_date_share, rng)
    units = world.households.unit[population.household[persons]]
    addresses = noise.addresses(units.tolist(), world.addresses)
    home_addresses = noise.addresses(units.tolist(), world.addresses)
    origins = _origin_addresses(world, persons, rng)

    batch = _sheet_batch(month, workbook, RESETTLEMENT_SHEET)
    for i, person in enumerate(persons.tolist()):
        unit = int(units[i])
        registered_here = population.residence[person] == REGISTERED
        row = batch.add(
            (
                names.values[i],
                ids.values[i],
                released_cells[i],
                home_addresses.values[i] if registered_here else origins[i],
                addresses.values[i],
                ENDED if cases.support_end[listed[i]] <= last else SUPPORTED,
            ),
            subject=person,
        )
        person_mention(batch, row, world, person, "released_person", unrecoverable=ids.unrecoverable[i])
        batch.note(row, "身份证号", ids, i, true_ids[i], "released_person", 1)
        batch.note(row, "姓名", names, i, true_names[i], "released_person", 1)
        batch.note(row, "释放日期", released_noise, i, released_text[i])
        if registered_here:
            batch.mention(
                row, UNIT, "registered_at", world.units.code[unit], given="address",
                unrecoverable=home_addresses.unrecoverable[i],
            )
            batch.note(row, "户籍地址", home_addresses, i, world.units.address[unit], "registered_at", 1)
        batch.mention(
            row, UNIT, "lives_at", world.units.code[unit], given="address", unrecoverable=addresses.unrecoverable[i]
        )
        batch.note(row, "现住址", addresses, i, world.units.address[unit], "lives_at", 1)
    return batch
