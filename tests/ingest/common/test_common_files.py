"""Specs for reading delivered text files: encodings, ragged records, headers."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from ingest.common.files import EncodingProblem, decode, read_csv_delivery

ALIASES = {"unit_code": ["房屋编码"], "estate_name": ["小区名称"], "updated_at": ["变更时间"]}


def _csv(tmp_path: Path, data: bytes, name: str = "房屋基础信息_增量_20260301.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("房屋编码\r\n".encode("gbk"), "gbk"),
        (b"\xef\xbb\xbf" + "房屋编码\n".encode("utf-8"), "utf-8-sig"),
        ("房屋编码\n".encode("utf-8"), "utf-8"),
        ("房屋编码,𠀀\n".encode("gb18030"), "gbk"),
    ],
)
def test_decode_tells_the_contract_encodings_apart(data: bytes, encoding: str) -> None:
    assert decode(data) == (data.decode("utf-8-sig" if encoding != "gbk" else "gb18030").lstrip("\ufeff"), encoding)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("房屋编码\n".encode("utf-16"), "UTF-16"),
        (b"\xef\xbb\xbf" + "房屋编码\n".encode("gbk"), "byte-order mark but byte"),
        ("房屋编码\n".encode("utf-16-le"), "NUL characters"),
        ("房屋编码,小区名称\n".encode("gbk") + "东坡,东坡\n".encode("utf-8"), "line 2 is UTF-8"),
    ],
)
def test_decode_refuses_text_it_would_misread(data: bytes, problem: str) -> None:
    with pytest.raises(EncodingProblem, match=problem):
        decode(data)


def test_read_csv_keeps_quoted_commas_and_reads_empty_fields_as_null(tmp_path: Path) -> None:
    path = _csv(tmp_path, '房屋编码,小区名称,变更时间\r\nFW1,"东坡,花园",\r\nFW2,,2026-03-01\r\n'.encode("gbk"))

    batch = read_csv_delivery(path, ALIASES)

    assert batch.frame.select("unit_code", "estate_name", "updated_at").rows() == [
        ("FW1", "东坡,花园", None), ("FW2", None, "2026-03-01"),
    ]
    assert batch.row_problems == {}


def test_read_csv_names_a_cut_last_row_and_a_ragged_middle_row(tmp_path: Path) -> None:
    path = _csv(tmp_path, "房屋编码,小区名称,变更时间\nFW1,东坡,x,y\nFW2,东坡,2026-03-01\nFW3,东".encode("gbk"))

    batch = read_csv_delivery(path, ALIASES)

    assert batch.frame.height == 3
    assert batch.row_problems == {
        1: ("malformed_row", "malformed row: data row 1 has 4 fields where the header has 3"),
        3: ("truncated_row", "truncated row: the file ends inside data row 3 without a line break (2 of 3 fields delivered)"),
    }
    # the value past the header is kept, for raw's _extra
    assert batch.frame["column_4"].to_list() == ["y", None, None]


def test_read_csv_names_a_short_row_and_a_long_row_whose_commas_add_up(tmp_path: Path) -> None:
    # Six commas over three lines, as a plain file would have: the short row
    # and the long row still come out as what they are.
    path = _csv(tmp_path, "房屋编码,小区名称,变更时间\nFW1,东坡\nFW2,东坡,2026-03-01,x\n".encode("gbk"))

    batch = read_csv_delivery(path, ALIASES)

    assert batch.row_problems == {
        1: ("malformed_row", "malformed row: data row 1 has 2 fields where the header has 3"),
        2: ("malformed_row", "malformed row: data row 2 has 4 fields where the header has 3"),
    }


def test_read_csv_refuses_a_file_whose_first_line_holds_no_known_header(tmp_path: Path) -> None:
    path = _csv(tmp_path, "unit;owner\nFW1;x\n".encode("utf-8"))

    batch = read_csv_delivery(path, ALIASES)

    assert batch.frame is None
    assert "none of the expected headers in the first line (read as utf-8" in batch.refused


@pytest.mark.parametrize("data", [b"", b"  \r\n", b"\xef\xbb\xbf"])
def test_read_csv_refuses_an_empty_file(tmp_path: Path, data: bytes) -> None:
    batch = read_csv_delivery(_csv(tmp_path, data), ALIASES)

    assert batch.frame is None
    assert batch.refused == "房屋基础信息_增量_20260301.csv: the file is empty"


def test_read_csv_reads_a_header_without_rows_as_a_delivery_of_nothing(tmp_path: Path) -> None:
    batch = read_csv_delivery(_csv(tmp_path, "房屋编码,小区名称,变更时间\r\n".encode("gbk")), ALIASES)

    assert batch.refused is None
    assert (batch.frame.height, batch.header_only) == (0, True)


def test_read_csv_tells_repeated_headers_apart_and_ignores_a_trailing_comma(tmp_path: Path) -> None:
    path = _csv(tmp_path, "房屋编码,小区名称,小区名称,\nFW1,东坡,东坡花园,\n".encode("utf-8"))

    batch = read_csv_delivery(path, ALIASES)

    # a trailing comma on every line makes no column
    assert batch.frame.columns == ["unit_code", "estate_name", "小区名称_2", "_source_row"]


PLAIN = "房屋编码,小区名称,变更时间\r\nFW1, 东坡 ,\r\nFW2,,2026-03-01\r\n,全角１,x\r\n"


@pytest.mark.parametrize(
    "variant",
    [
        PLAIN,  # plain: read by polars
        PLAIN.replace("FW2", '"FW2"'),  # quoted: read record by record
        PLAIN + "\r\n",  # a blank line: read record by record
    ],
)
def test_read_csv_gives_the_same_rows_whichever_parser_reads_the_file(tmp_path: Path, variant: str) -> None:
    batch = read_csv_delivery(_csv(tmp_path, variant.encode("gbk")), ALIASES)

    assert batch.frame.rows() == [
        ("FW1", " 东坡 ", None, 1), ("FW2", None, "2026-03-01", 2), (None, "全角１", "x", 3),
    ]
    assert batch.frame.dtypes[:3] == [pl.Utf8] * 3
    assert (batch.row_problems, batch.header_only) == ({}, False)


def test_decode_finds_a_utf8_line_whose_chinese_is_not_in_one_run() -> None:
    # The letters keep the UTF-8 bytes decodable as GB18030, so only the line check can tell.
    data = "房屋编码,小区名称\nFW1,东坡\n".encode("gbk") + "FW2,东A坡A\n".encode("utf-8")

    with pytest.raises(EncodingProblem, match="line 3 is UTF-8"):
        decode(data)
