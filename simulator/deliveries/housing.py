"""Housing deliveries: CSV files dropped in a folder, GBK (one month UTF-8 with a BOM).

- ``房屋基础信息_全量_YYYYMMDD.csv``: the house-unit register as of the first
  of a month (by default the span's first and last month, see
  `SimulationConfig.housing_full_snapshots`).
- ``房屋基础信息_增量_YYYYMMDD.csv``: the units whose entry changed that day
  (ownership transfers, remeasured areas, newly registered units, corrected
  entries), one file per working day with changes.
- ``租赁备案_增量_YYYYMMDD.csv``: the day's rental registrations.

The register's own mistakes persist: an owner's name keyed with a typo stays
that way in every snapshot until the entry is corrected. Files carry the
contract's data issues: rows twice in a file, a day's increment re-sent
inside the next day's file, header drift by month, out-of-scope columns,
and broken files (cut mid-row, in UTF-16, or empty). Windows line ends: the
housing system exports from a Windows desktop tool.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from simulator.batches import CORRECTION, ORGANIZATION, PERSON, UNIT, Batch, RowIssue
from simulator.config import SNAPSHOTS_MONTHLY
from simulator.deliveries.common import DriftPlan, injector, plan_drifts, sensitive
from simulator.formats import iso_dates
from simulator.noise import NoiseInjector
from simulator.ownership import NEW_UNIT, NO_OWNER, REMEASURE, TRANSFER, workdays
from simulator.randomness import stream
from simulator.sensitive import CHINESE_HEADERS
from simulator.truth import Truth
from simulator.world import World

SOURCE_SYSTEM = "housing"
ENCODING = "gbk"
UTF8_BOM = "utf-8-sig"
HOUSE_UNIT_HEADERS = (
    "房屋编码", "行政区划代码", "小区名称", "坐落地址", "楼栋号", "单元号", "楼层", "房号", "建筑面积",
    "房屋用途", "产权人证件号", "产权人名称", "变更时间",
)
RENTAL_HEADERS = (
    "备案编号", "房屋编码", "房屋坐落", "出租人证件号", "出租人姓名", "承租人证件号", "承租人姓名", "起租日期",
    "到期日期", "月租金", "租赁用途", "备案日期",
)
# Other names the housing system's exports have used for the same column.
RENAMES: dict[str, tuple[str, ...]] = {
    "坐落地址": ("房屋坐落",),
    "楼栋号": ("楼号",),
    "房号": ("室号",),
    "建筑面积": ("建筑面积(㎡)", "建筑面积（平方米）"),
    "房屋用途": ("规划用途",),
    "产权人证件号": ("产权人证件号码", "权利人证件号"),
    "产权人名称": ("权利人名称", "产权人"),
    "变更时间": ("更新时间",),
    "房屋坐落": ("坐落地址",),
    "出租人证件号": ("出租人证件号码",),
    "承租人证件号": ("承租人证件号码",),
    "月租金": ("月租金(元)",),
    "备案日期": ("登记日期",),
}
ADDED_COLUMN = "备注"
FULL = "全量"
INCREMENT = "增量"
SUPERSEDED = "superseded_value"


def snapshot_name(day: date) -> str:
    """Return the file name of a full snapshot."""
    return f"房屋基础信息_{FULL}_{day:%Y%m%d}.csv"


def increment_name(day: date) -> str:
    """Return the file name of a daily house-unit increment."""
    return f"房屋基础信息_{INCREMENT}_{day:%Y%m%d}.csv"


def rental_name(day: date) -> str:
    """Return the file name of a day's rental registrations."""
    return f"租赁备案_{INCREMENT}_{day:%Y%m%d}.csv"


@dataclass
class _File:
    name: str
    day: date
    kind: str  # "full", "units", "rentals"
    batch: Batch
    broken: str = ""
    resend: bool = False


def deliver(world: World, out_dir: Path, truth: Truth) -> None:
    """Write every housing file and record one batch per file."""
    folder = out_dir / "housing"
    folder.mkdir(parents=True, exist_ok=True)
    config = world.config
    months = config.span_months()
    month_index = {(m.year, m.month): i for i, m in enumerate(months)}
    utf8 = utf8_months(world)
    plans = plan_drifts(injector(world, "housing/schema"), len(months))
    register = _Register(world)

    attributes = sensitive(world)
    files_noise = injector(world, "housing/files")

    def write(f: _File) -> None:
        month = (f.day.year, f.day.month)
        plan: DriftPlan = plans[month_index[month]]
        plan.apply(f.batch, attributes, RENAMES, ADDED_COLUMN, CHINESE_HEADERS)
        encoding = UTF8_BOM if month in utf8 else ENCODING
        (folder / f.name).write_bytes(_encode(f, encoding, files_noise.rng))
        truth.record(f.batch)

    # Full snapshots are never broken or re-sent: write each as soon as it is
    # built, so only one is in memory.
    snapshot_days = months if config.housing_full_snapshots == SNAPSHOTS_MONTHLY else sorted({months[0], months[-1]})
    for day in snapshot_days:
        snapshot = _File(snapshot_name(day), day, "full", register.snapshot(day))
        snapshot.batch.duplicate_rows(files_noise.duplicates(len(snapshot.batch.rows)))
        write(snapshot)
        del snapshot
    files: list[_File] = []
    for day, batch in register.increments():
        files.append(_File(increment_name(day), day, "units", batch))
    for day, batch in rental_registrations(world, utf8):
        files.append(_File(rental_name(day), day, "rentals", batch))
    for f in files:
        f.batch.duplicate_rows(files_noise.duplicates(len(f.batch.rows)))
    _choose_broken(files, files_noise)
    _resend(files, files_noise)
    for f in files:
        write(f)


def utf8_months(world: World) -> set[tuple[int, int]]:
    """Return the (year, month) of months whose housing files are UTF-8 with a BOM."""
    config = world.config
    months = config.span_months()
    middle = months[1:-1]
    if not middle or config.housing_utf8_months <= 0:
        return set()
    rng = stream(config.seed, "housing/encoding")
    picked = rng.choice(len(middle), size=min(config.housing_utf8_months, len(middle)), replace=False)
    return {(middle[i].year, middle[i].month) for i in sorted(picked.tolist())}


def _choose_broken(files: list[_File], noise: NoiseInjector) -> None:
    """Break some increment files: cut mid-row, in a wrong encoding, or empty."""
    candidates = [f for f in files if f.kind != "full" and len(f.batch.sequence) >= 2]
    rates = noise.rates
    for kind, rate in (
        ("truncated", rates.broken_truncated),
        ("wrong_encoding", rates.broken_wrong_encoding),
        ("empty", rates.broken_empty),
    ):
        free = [f for f in candidates if not f.broken]
        for f, hit in zip(free, noise.pick_batches(len(free), rate), strict=True):
            if hit:
                f.broken = kind


def _resend(files: list[_File], noise: NoiseInjector) -> None:
    """Re-send some increments inside the next file of the same kind and month."""
    for kind in ("units", "rentals"):
        ordered = [f for f in files if f.kind == kind]
        pairs = [
            (earlier, later)
            for earlier, later in zip(ordered, ordered[1:], strict=False)
            if (earlier.day.year, earlier.day.month) == (later.day.year, later.day.month)
            and not earlier.broken
            and not later.broken
        ]
        hits = noise.pick_batches(len(pairs), noise.rates.duplicate_batch)
        for (earlier, later), hit in zip(pairs, hits, strict=True):
            if hit and not earlier.resend:
                later.batch.resend(earlier.batch)
                later.resend = True


def _encode(f: _File, encoding: str, rng: np.random.Generator) -> bytes:
    batch = f.batch
    if f.broken == "empty":
        batch.empty_out()
        return b""
    lines = [_line(batch.delivered_headers())] + [_line(row) for row in batch.delivered_rows()]
    if f.broken == "truncated":
        # Cut inside a data row (at a character, not a byte, boundary: the
        # file is short, not undecodable).
        keep = int(rng.integers(1, len(lines)))
        cut_line = lines[keep].rstrip("\r\n")
        cut = int(rng.integers(1, max(2, len(cut_line))))
        batch.truncate(keep)
        return ("".join(lines[:keep]) + cut_line[:cut]).encode(encoding)
    if f.broken == "wrong_encoding":
        # Exported with Excel's "Unicode text" option: UTF-16 with a BOM,
        # which decodes neither as GBK nor as UTF-8.
        batch.mark_unreadable()
        return "".join(lines).encode("utf-16")
    return "".join(lines).encode(encoding)


def _line(values) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(["" if v is None else v for v in values])
    return buffer.getvalue()


class _Register:
    """The house-unit register over the span, with its own persistent mistakes."""

    def __init__(self, world: World) -> None:
        self.world = world
        config, units, own = world.config, world.units, world.ownership
        self.noise = injector(world, "housing/register", charset=ENCODING)
        rng = stream(config.seed, "housing/register")
        count = len(units)
        self.start = np.datetime64(config.span_start, "D")
        self.end = np.datetime64(config.end_date, "D")
        self.owner = self._owner_values(own.person, own.organization)
        self.previous = self._owner_values(own.previous_person, own.previous_organization)
        # Entries whose floor area was keyed wrongly and is corrected during
        # the span (the correction comes as an increment).
        eligible = own.in_register & (own.change == "")
        self.corrected = self.noise.mask(count, self.noise.rates.correction) & eligible
        first = np.flatnonzero(self.corrected)
        self.correction_at = np.full(count, np.datetime64("NaT", "s"))
        days = workdays(np.full(len(first), self.start + 1), np.full(len(first), self.end), rng)
        self.correction_at[first] = days.astype("datetime64[s]") + rng.integers(
            9 * 3600, 17 * 3600, len(first)
        ).astype("timedelta64[s]")
        self.wrong_area = units.area.copy()
        self.wrong_area[first] = np.round(units.area[first] * rng.choice((0.1, 10.0, 0.5, 2.0), len(first)), 2)
        self.community_codes = [c.code for c in world.divisions.communities]

    def _owner_values(self, person: np.ndarray, organization: np.ndarray) -> dict:
        world = self.world
        population, organizations = world.population, world.organizations
        is_person = person >= 0
        is_org = ~is_person & (organization >= 0)
        people = np.flatnonzero(is_person)
        orgs = np.flatnonzero(is_org)
        ids = [""] * len(person)
        names = [""] * len(person)
        true_ids = [""] * len(person)
        true_names = [""] * len(person)
        issues: list[tuple] = [()] * len(person)
        unrecoverable = np.zeros(len(person), dtype=bool)
        person_ids = [population.id_number[p] for p in person[people].tolist()]
        person_names = [population.name[p] for p in person[people].tolist()]
        id_noise = self.noise.identity_numbers(person_ids)
        name_noise = self.noise.names(person_names)
        for k, u in enumerate(people.tolist()):
            ids[u], names[u] = id_noise.values[k], name_noise.values[k]
            true_ids[u], true_names[u] = person_ids[k], person_names[k]
            unrecoverable[u] = id_noise.unrecoverable[k]
            found = []
            if id_noise.issues[k]:
                found.append(("产权人证件号", id_noise.issues[k], bool(id_noise.unrecoverable[k]), ids[u], true_ids[u]))
            if name_noise.issues[k]:
                found.append(("产权人名称", name_noise.issues[k], False, names[u], true_names[u]))
            issues[u] = tuple(found)
        org_codes = [organizations.credit_code[o] for o in organization[orgs].tolist()]
        code_noise = self.noise.credit_codes(org_codes)
        for k, u in enumerate(orgs.tolist()):
            ids[u], names[u] = code_noise.values[k], organizations.name[int(organization[u])]
            true_ids[u], true_names[u] = org_codes[k], names[u]
            unrecoverable[u] = code_noise.unrecoverable[k]
            if code_noise.issues[k]:
                issues[u] = (("产权人证件号", code_noise.issues[k], bool(code_noise.unrecoverable[k]), ids[u], org_codes[k]),)
        return {
            "person": person,
            "organization": organization,
            "ids": ids,
            "names": names,
            "issues": issues,
            "unrecoverable": unrecoverable,
        }

    def _row(self, batch: Batch, unit: int, moment: np.datetime64, extra: RowIssue | None = None) -> None:
        """Add the register entry of `unit` as it stood at `moment`."""
        world = self.world
        units, own = world.units, world.ownership
        changed = own.change[unit]
        before_change = changed != "" and moment <= own.changed_at[unit]
        owner = self.previous if changed == TRANSFER and before_change else self.owner
        area = own.previous_area[unit] if changed == REMEASURE and before_change else units.area[unit]
        issue = None
        stamps = [own.changed_before[unit]]
        if changed and not before_change:
            stamps.append(own.changed_at[unit])
        if self.corrected[unit]:
            if moment <= self.correction_at[unit]:
                area = self.wrong_area[unit]
                issue = RowIssue("建筑面积", SUPERSEDED, False, f"{area:.2f}", f"{units.area[unit]:.2f}")
            else:
                stamps.append(self.correction_at[unit])
        stamp = max(stamps)
        person = int(owner["person"][unit])
        organization = int(owner["organization"][unit])
        row = batch.add(
            (
                units.code[unit],
                self.community_codes[int(units.community[unit])],
                units.estate[unit],
                units.address[unit],
                str(units.building[unit]),
                str(units.entrance[unit]),
                str(units.floor[unit]),
                units.room[unit],
                f"{area:.2f}",
                str(units.use[unit]),
                owner["ids"][unit],
                owner["names"][unit],
                str(stamp).replace("T", " "),
            ),
            subject=person,
        )
        batch.mention(row, UNIT, "unit", units.code[unit], given="unit_code")
        if person >= 0:
            batch.mention(
                row, PERSON, "owner", world.population.person_id(person), unrecoverable=owner["unrecoverable"][unit]
            )
        elif organization != NO_OWNER:
            batch.mention(
                row, ORGANIZATION, "owner", world.organizations.organization_id(organization), given="credit_code",
                unrecoverable=owner["unrecoverable"][unit],
            )
        for field, name, bad, delivered, true in owner["issues"][unit]:
            batch.issue(row, RowIssue(field, name, bad, delivered, true, "owner", 1))
        if issue is not None:
            batch.issue(row, issue)
        if extra is not None:
            batch.issue(row, extra)

    def snapshot(self, day: date) -> Batch:
        """Return the full snapshot as of the first moment of `day`."""
        own = self.world.ownership
        moment = np.datetime64(day, "D").astype("datetime64[s]")
        name = snapshot_name(day)
        batch = Batch(SOURCE_SYSTEM, "house_units", name, name, HOUSE_UNIT_HEADERS, None, f"{day:%Y-%m-%d} 02:00:00")
        exists = own.in_register & ((own.change != NEW_UNIT) | (own.changed_at < moment))
        for unit in np.flatnonzero(exists).tolist():
            self._row(batch, unit, moment)
        return batch

    def increments(self) -> list[tuple[date, Batch]]:
        """Return the daily increments: changed and corrected entries, by day."""
        own = self.world.ownership
        events: list[tuple[np.datetime64, int, str]] = []
        for unit in np.flatnonzero((own.change != "") & own.in_register).tolist():
            events.append((own.changed_at[unit], unit, own.change[unit]))
        for unit in np.flatnonzero(self.corrected).tolist():
            events.append((self.correction_at[unit], unit, CORRECTION))
        events.sort(key=lambda e: (e[0], e[1]))
        out: list[tuple[date, Batch]] = []
        current: Batch | None = None
        current_day = None
        for moment, unit, kind in events:
            day = moment.astype("datetime64[D]").astype(object)
            if day != current_day:
                name = increment_name(day)
                current = Batch(
                    SOURCE_SYSTEM, "house_units", name, name, HOUSE_UNIT_HEADERS, None, f"{day:%Y-%m-%d} 23:00:00"
                )
                out.append((day, current))
                current_day = day
            after = moment + np.timedelta64(1, "s")
            extra = None
            if kind == CORRECTION:
                area = f"{self.world.units.area[unit]:.2f}"
                extra = RowIssue("建筑面积", CORRECTION, False, area, f"{self.wrong_area[unit]:.2f}")
            self._row(current, unit, after, extra)
        return out


def rental_registrations(world: World, utf8: set[tuple[int, int]]) -> list[tuple[date, Batch]]:
    """Return the rental registrations, one batch per registration day."""
    config, population, units, leases = world.config, world.population, world.units, world.leases
    registered = np.flatnonzero(~np.isnat(leases.registered_on))
    registered = registered[np.lexsort((registered, leases.registered_on[registered]))]
    rng = stream(config.seed, "housing/rentals")
    count = len(registered)
    no_code = rng.random(count) < config.rental_unit_code_missing_share
    days = leases.registered_on[registered]
    day_text = iso_dates(days)
    out: list[tuple[date, Batch]] = []
    # Each day's file gets its own noise stream and charset (the BOM month
    # can hold characters GBK cannot).
    bounds = np.flatnonzero(np.r_[True, days[1:] != days[:-1]]) if count else np.array([], dtype=np.int64)
    ends = np.r_[bounds[1:], count] if count else np.array([], dtype=np.int64)
    for first, last in zip(bounds.tolist(), ends.tolist(), strict=True):
        day = days[first].astype(object)
        charset = "utf-8" if (day.year, day.month) in utf8 else ENCODING
        noise = injector(world, f"housing/rentals/{day:%Y%m%d}", charset=charset, today=day)
        lease_ids = registered[first:last]
        name = rental_name(day)
        batch = Batch(
            SOURCE_SYSTEM, "rental_registrations", name, name, RENTAL_HEADERS, None, f"{day:%Y-%m-%d} 23:00:00"
        )
        landlords = leases.landlord[lease_ids]
        true_landlord_ids = [population.id_number[p] for p in landlords.tolist()]
        true_landlord_names = [population.name[p] for p in landlords.tolist()]
        landlord_ids = noise.identity_numbers(true_landlord_ids)
        landlord_names = noise.names(true_landlord_names)
        tenants = [leases.tenants_of(i) for i in lease_ids.tolist()]
        flat = np.concatenate(tenants) if tenants else np.array([], dtype=np.int64)
        true_tenant_ids = [population.id_number[p] for p in flat.tolist()]
        true_tenant_names = [population.name[p] for p in flat.tolist()]
        tenant_ids = noise.identity_numbers(true_tenant_ids)
        tenant_names = noise.names(true_tenant_names)
        lease_units = leases.unit[lease_ids]
        addresses = noise.addresses(lease_units.tolist(), world.addresses)
        start_text = iso_dates(leases.start[lease_ids])
        end_text = iso_dates(leases.end[lease_ids])
        starts = noise.dates(start_text)
        ends_noise = noise.dates(end_text, future_ok=True)
        offset = 0
        for k, lease in enumerate(lease_ids.tolist()):
            unit = int(lease_units[k])
            n = len(tenants[k])
            positions = range(offset, offset + n)
            row = batch.add(
                (
                    f"ZL{day:%Y%m%d}{k + 1:05d}",
                    "" if no_code[first + k] else units.code[unit],
                    addresses.values[k],
                    landlord_ids.values[k],
                    landlord_names.values[k],
                    ";".join(tenant_ids.values[j] for j in positions),
                    ";".join(tenant_names.values[j] for j in positions),
                    starts.values[k],
                    ends_noise.values[k],
                    f"{leases.rent[lease]:.0f}",
                    str(leases.use[lease]),
                    day_text[first + k],
                ),
                subject=int(tenants[k][0]),
            )
            batch.mention(
                row, PERSON, "landlord", population.person_id(int(landlords[k])),
                unrecoverable=landlord_ids.unrecoverable[k],
            )
            batch.note(row, "出租人证件号", landlord_ids, k, true_landlord_ids[k], "landlord", 1)
            batch.note(row, "出租人姓名", landlord_names, k, true_landlord_names[k], "landlord", 1)
            for position, j in enumerate(positions, start=1):
                batch.mention(
                    row, PERSON, "tenant", population.person_id(int(flat[j])), position=position,
                    unrecoverable=tenant_ids.unrecoverable[j],
                )
                batch.note(row, "承租人证件号", tenant_ids, j, true_tenant_ids[j], "tenant", position)
                batch.note(row, "承租人姓名", tenant_names, j, true_tenant_names[j], "tenant", position)
            by_code = not no_code[first + k]
            batch.mention(
                row, UNIT, "rented_unit", units.code[unit], given="unit_code" if by_code else "address",
                unrecoverable=False if by_code else addresses.unrecoverable[k],
            )
            batch.note(row, "房屋坐落", addresses, k, units.address[unit], "rented_unit", 1)
            batch.note(row, "起租日期", starts, k, start_text[k])
            batch.note(row, "到期日期", ends_noise, k, end_text[k])
            if not world.ownership.in_register[unit]:
                code = "" if no_code[first + k] else units.code[unit]
                batch.issue(row, RowIssue("房屋编码", "unknown_unit", False, code, units.code[unit]))
            offset += n
        out.append((day, batch))
    return out
