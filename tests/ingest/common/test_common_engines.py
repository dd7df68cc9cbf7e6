"""Specs shared by every normalizer: the same answers eagerly, lazily and streaming.

``clean.py`` functions take and return LazyFrames, and the normalizers bind
intermediate values as struct fields; this guards that the binding behaves the
same under every polars engine.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from ingest.common import addresses, credit_codes, dates, identity, keys, names, phones

AS_OF = date(2026, 1, 1)
UGLY = [
    "11010519491231002x",
    "110105491231002",
    " 张 三 ",
    "阿卜杜拉•买买提",
    "2023年1月5日",
    "45231.0",
    "2023-11-05T09:00:00+08:00",
    "+86 138 1234 5678",
    "0571-8888 6666",
    "阳光花园三栋二单元五〇一室",
    "阳光花园3-2-501",
    "91350100m000100y43",
    "2023-02-30",
    "",
    None,
]


def test_normalizers_agree_across_eager_lazy_and_streaming() -> None:
    value = pl.col("delivered")
    expressions = [
        identity.normalize_id_number(value).alias("id_number"),
        identity.id_number_issue(identity.normalize_id_number(value), as_of=AS_OF),
        identity.id_number_repairs(value),
        identity.birth_date_from_id(identity.normalize_id_number(value)),
        credit_codes.credit_code_issue(credit_codes.normalize_credit_code(value)),
        names.normalize_person_name(value).alias("name"),
        names.name_repairs(value),
        dates.parse_date(value).alias("date"),
        dates.date_issue(value, dates.parse_date(value), as_of=AS_OF),
        dates.parse_timestamp(value, time_zone="Asia/Shanghai").alias("timestamp"),
        phones.normalize_phone(value).alias("phone"),
        phones.phone_issue(value, phones.normalize_phone(value)),
        addresses.parse_address(value).alias("address"),
        addresses.address_match_key(addresses.parse_address(value)),
        keys.person_key(identity.normalize_id_number(value), b"engine-test").alias("person_key"),
    ]
    frame = pl.DataFrame({"delivered": UGLY}, schema={"delivered": pl.String})
    eager = frame.select(expressions)
    assert frame.lazy().select(expressions).collect().equals(eager)
    assert frame.lazy().select(expressions).collect(engine="streaming").equals(eager)
