"""Organization names and resolution: credit codes first, then name, core name and address."""

from __future__ import annotations

import polars as pl
import pytest

from ingest.common.credit_codes import credit_code_check_character
from resolution.organizations import (
    CODE_RULE, NAME_RULE, NEW_BY_NAME, UNRESOLVED, org_name_core, resolve_organizations,
)

SECRET = b"test-secret"
DIVISIONS = pl.DataFrame({"code": ["320100000000"], "name": ["南京市"], "level": ["city"], "parent_code": [None]})


def _code(first17: str) -> str:
    return first17 + credit_code_check_character(first17)


CODE_A = _code("91320111621132751")
CODE_B = _code("91320106215515394")
CODE_C = _code("91320104972263833")
CODE_D = _code("51320104972263833")

NAME_CASES = [
    ("南京汤泉商贸有限公司", "汤泉商贸"),
    ("汤泉商贸有限公司", "汤泉商贸"),
    ("南京汤泉商贸", "汤泉商贸"),
    ("南京市汤泉商贸有限责任公司", "汤泉商贸"),
    (" 南京 汤泉商贸 有限公司 ", "汤泉商贸"),
    ("南京汤泉商贸股份有限公司", "汤泉商贸"),
    ("南京汤泉商贸（集团）有限公司", "汤泉商贸(集团)"),
    ("南京书法协会", "书法协会"),
    ("有限公司", None),
    (None, None),
]


@pytest.mark.parametrize(("name", "core"), NAME_CASES, ids=[str(case[0]) for case in NAME_CASES])
def test_org_name_core_drops_city_spaces_and_company_form(name: str | None, core: str | None) -> None:
    frame = pl.DataFrame({"name": [name]}, schema={"name": pl.Utf8})
    assert frame.select(org_name_core(pl.col("name"), ("南京市", "南京"))).item() == core


def _mentions(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema=["role", "credit_code", "name", "address"], orient="row",
    ).with_columns(
        pl.lit("x").alias("source_system"), pl.int_range(1, pl.len() + 1).cast(pl.Utf8).alias("record_key"),
        pl.lit(None, dtype=pl.Utf8).alias("org_key"), pl.lit("unresolved").alias("evidence"),
    )


KNOWN = [
    ("organization", CODE_A, "南京汤泉商贸有限公司", "玄武区中山路1号"),
    ("owner", CODE_B, "南京青龙科技有限公司", None),
    # two registered organizations whose names share a core: only the address tells them apart
    ("organization", CODE_C, "南京梅园物业管理有限公司", "玄武区梅园路2号"),
    ("organization", CODE_D, "梅园物业管理", "鼓楼区湖南路9号"),
]

RESOLVE_CASES = [
    # (mention, expected key: a code, "new:<other mention index>" or None, evidence)
    (("employer", None, "南京汤泉商贸有限公司", None), CODE_A, NAME_RULE),
    (("employer", None, "汤泉商贸有限公司", None), CODE_A, "rule:name_core"),
    (("employer", None, "南京青龙科技", None), CODE_B, "rule:name_core"),
    (("employer", None, "南京 青龙科技有限公司", None), CODE_B, NAME_RULE),
    # a code failing its check is no key; the name still finds the organization
    (("owner", CODE_A[:-1] + ("0" if CODE_A[-1] != "0" else "1"), "南京汤泉商贸有限公司", None), CODE_A, NAME_RULE),
    (("employer", None, "梅园物业管理有限公司", "玄武区梅园路2号"), CODE_C, "rule:name_address"),
    (("employer", None, "梅园物业管理有限公司", None), None, UNRESOLVED),
    (("employer", None, "秦淮面馆", None), "new", NEW_BY_NAME),
]


@pytest.mark.parametrize(("mention", "expected", "evidence"), RESOLVE_CASES, ids=[case[0][2] + str(i) for i, case in enumerate(RESOLVE_CASES)])
def test_org_mentions_resolve_by_code_then_name_then_address(mention: tuple, expected: str | None, evidence: str) -> None:
    resolved = resolve_organizations(_mentions([*KNOWN, mention]), SECRET, DIVISIONS)
    keys = resolved.get_column("org_key").to_list()
    by_code = dict(zip([row[1] for row in KNOWN], keys[: len(KNOWN)], strict=True))
    assert resolved.get_column("evidence").to_list()[: len(KNOWN)] == [CODE_RULE] * len(KNOWN)
    row = resolved.row(len(KNOWN), named=True)
    assert row["evidence"] == evidence
    if expected == "new":
        assert row["org_key"] is not None and row["org_key"] not in by_code.values()
        assert len(row["org_key"]) == 32
    else:
        assert row["org_key"] == (by_code[expected] if expected else None)


def test_unregistered_employer_written_two_ways_gets_one_key_and_reruns_change_nothing() -> None:
    mentions = _mentions([*KNOWN, ("employer", None, "南京秦淮物流有限公司", None), ("employer", None, "秦淮物流", None)])
    resolved = resolve_organizations(mentions, SECRET, DIVISIONS)
    new = resolved.filter(pl.col("evidence") == NEW_BY_NAME)
    assert new.height == 2 and new.get_column("org_key").n_unique() == 1
    assert resolve_organizations(resolved, SECRET, DIVISIONS).equals(resolved)
