"""Time the normalizers on 1,000,000 rows (a manual check, not collected by pytest).

Run: ``.venv/bin/python -m tests.ingest.common.bench_normalization``.
"""

from __future__ import annotations

import random
import time
from datetime import date

import polars as pl

from ingest.common.addresses import parse_address
from ingest.common.addresses import address_match_key
from ingest.common.dates import date_issue, parse_date, parse_timestamp
from ingest.common.identity import check_character, id_number_issue, normalize_id_number
from ingest.common.keys import person_key, row_hash
from ingest.common.names import name_repairs, normalize_person_name
from ingest.common.phones import normalize_phone

ROWS = 1_000_000


def _identity_numbers(rows: int, seed: int = 7) -> list[str | None]:
    """Make delivered-looking identity numbers with the contract's defects mixed in."""
    rng = random.Random(seed)
    out: list[str | None] = []
    for _ in range(rows):
        born = date.fromordinal(rng.randint(date(1930, 1, 1).toordinal(), date(2020, 12, 31).toordinal()))
        first17 = f"330106{born:%Y%m%d}{rng.randint(0, 999):03d}"
        number = first17 + check_character(first17)
        roll = rng.random()
        if roll < 0.02:
            number = number[:6] + number[8:17]  # legacy 15-digit
        elif roll < 0.04:
            number = number.lower()
        elif roll < 0.05:
            number = number.translate({code: code + 0xFEE0 for code in range(0x30, 0x3A)})
        elif roll < 0.07:
            number = f" {number[:6]} {number[6:]} "
        elif roll < 0.08:
            number = number[:10] + number[11] + number[10] + number[12:]
        elif roll < 0.09:
            number = None
        out.append(number)
    return out


def _varied_fields(rows: int, seed: int = 11) -> pl.DataFrame:
    """Make names, dates, phones and addresses in every delivered form, mostly distinct."""
    rng = random.Random(seed)
    surnames, given = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
    date_forms = ("{:%Y-%m-%d}", "{d.year}/{d.month}/{d.day}", "{:%Y%m%d}", "{d.year}年{d.month}月{d.day}日")
    names, dates, phones, addresses = [], [], [], []
    for _ in range(rows):
        name = rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.randint(1, 2)))
        names.append(rng.choice((name, f" {name} ", name[0] + " " + name[1:], name + "\u3000", name + "•买买提")))
        day = date.fromordinal(rng.randint(date(1940, 1, 1).toordinal(), date(2026, 1, 1).toordinal()))
        form = rng.choice(date_forms)
        dates.append(form.format(day, d=day) if rng.random() < 0.9 else str(day.toordinal() - 693594))
        mobile = f"1{rng.randint(3, 9)}{rng.randint(0, 999_999_999):09d}"
        spaced = f"+86 {mobile[:3]} {mobile[3:7]} {mobile[7:]}"
        phones.append(rng.choice((mobile, spaced, f"0571-{mobile[3:11]}", mobile[:10])))
        building, entrance, room = rng.randint(1, 30), rng.randint(1, 6), rng.randint(1, 18) * 100 + rng.randint(1, 4)
        estate = rng.choice(("阳光花园", "翠苑", "望江家园", "东方公寓", "和平新村"))
        addresses.append(
            rng.choice(
                (
                    f"浙江省杭州市西湖区文新街道阳光社区{estate}{building}栋{entrance}单元{room}室",
                    f"{estate}{building}-{entrance}-{room}",
                    f"{estate}{building}号楼{entrance}单元{room}",
                    f"西湖区{estate}{building}幢{entrance}单元{room}室",
                )
            )
        )
    return pl.DataFrame({"name": names, "date": dates, "phone": phones, "address": addresses})


def _time(label: str, frame: pl.DataFrame, *exprs: pl.Expr) -> pl.DataFrame:
    started = time.perf_counter()
    result = frame.select(*exprs)
    print(f"{label:<48} {time.perf_counter() - started:6.2f} s")
    return result


def main() -> None:
    """Build the frame once, then time each normalizer on it."""
    frame = pl.DataFrame({"id_number": _identity_numbers(ROWS)})
    sample = _varied_fields(ROWS)
    print(f"{ROWS:,} rows; polars {pl.__version__}")
    normalized = _time(
        "normalize_id_number + id_number_issue",
        frame,
        normalize_id_number(pl.col("id_number")),
        id_number_issue(normalize_id_number(pl.col("id_number"))),
    )
    _time("person_key (~1M distinct ids)", normalized, person_key(pl.col("id_number"), b"bench-secret"))
    repeated = normalized.select(pl.col("id_number").sample(ROWS, with_replacement=True, seed=1))
    _time("person_key (1M rows, ~630k distinct ids)", repeated, person_key(pl.col("id_number"), b"bench-secret"))
    _time("row_hash over 1 column", frame, row_hash(["id_number"]))
    name, day = pl.col("name"), pl.col("date")
    _time("normalize_person_name + name_repairs", sample, normalize_person_name(name), name_repairs(name))
    _time("parse_date + date_issue", sample, parse_date(day), date_issue(day, parse_date(day)))
    _time("parse_timestamp", sample, parse_timestamp(pl.col("date")))
    _time("normalize_phone", sample, normalize_phone(pl.col("phone")))
    _time("parse_address + address_match_key", sample, address_match_key(parse_address(pl.col("address"))))


if __name__ == "__main__":
    main()
