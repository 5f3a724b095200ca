from __future__ import annotations

import codecs

import pytest

from claimledger.errors import BinaryInput, EmptyInput, UnknownEncoding
from claimledger.ingest.decode import decode_bytes

CHINESE = "前中组部副部长出逃，胡力任在直播中透露，清洗波及近千万人。" * 5
FRENCH = (
    "Le président du port a été arrêté, a déclaré lundi un diffuseur en direct. Près de 300"
    " employés ont été interrogés depuis janvier, et environ 40 millions de couronnes de"
    " redevances portuaires ne peuvent être justifiées."
)
TRADITIONAL = "前中組部副部長出逃，胡力任在直播中透露，清洗波及近千萬人。" * 5


@pytest.mark.parametrize(
    ("text", "encoding"),
    [(CHINESE, "gbk"), (CHINESE, "gb18030"), (TRADITIONAL, "big5"), (FRENCH, "cp1252")],
)
def test_undeclared_legacy_encodings_are_detected(text: str, encoding: str) -> None:
    assert decode_bytes(text.encode(encoding)) == text


def test_declared_charset_in_html_is_used() -> None:
    page = f'<html><head><meta charset="gb2312"></head><body><p>{CHINESE}</p></body></html>'
    assert CHINESE in decode_bytes(page.encode("gb18030"))


def test_declared_charset_from_the_server_is_used() -> None:
    assert decode_bytes("胡力任".encode("big5"), declared="big5") == "胡力任"


def test_utf8_and_boms() -> None:
    assert decode_bytes("Hu Li-ren 胡力任".encode()) == "Hu Li-ren 胡力任"
    assert decode_bytes(codecs.BOM_UTF8 + b"x") == "x"
    assert decode_bytes("胡力任".encode("utf-16")) == "胡力任"


@pytest.mark.parametrize("data", [b"", b"   \n\t  "])
def test_empty_input(data: bytes) -> None:
    with pytest.raises(EmptyInput):
        decode_bytes(data)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        b"%PDF-1.7\n" + bytes(range(256)),
        b"some text\x00\x00\x00 and nul bytes",
        bytes(range(1, 9)) * 200,
    ],
)
def test_binary_input(data: bytes) -> None:
    with pytest.raises(BinaryInput):
        decode_bytes(data)


def test_bytes_no_encoding_fits() -> None:
    # Invalid in UTF-8, and too short and random for any detector to call it text.
    with pytest.raises((UnknownEncoding, BinaryInput)):
        decode_bytes(bytes([0xC3, 0xFE, 0xFD, 0x80, 0x81, 0x9F]) * 3 + b"\x01\x02\x03")
