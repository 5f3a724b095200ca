"""Turn bytes into text, or say clearly why they are not text.

UTF-8 first (most of the web), then the charset the input declares, then a detector, so that
GBK, Big5 and Shift-JIS pages from Chinese and Japanese outlets load as well as English ones.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from claimledger.errors import BinaryInput, EmptyInput, UnknownEncoding

_SNIFF_BYTES = 8192
_JUDGE_BYTES = 256 * 1024  # enough text for the detector to judge a declared charset
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Declared labels that browsers read as a wider superset (WHATWG encoding standard).
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs", "iso8859-1": "cp1252", "latin-1": "cp1252"}
_BINARY_SIGNATURES = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x7fELF", b"\x1f\x8b")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode `data`, trusting UTF-8, then a declared charset, then detection.

    Raises:
        EmptyInput: there are no bytes, or only whitespace.
        BinaryInput: the bytes are an image, archive, PDF or other non-text data.
        UnknownEncoding: no encoding decodes the bytes into plausible text.
    """
    if not data.strip():
        raise EmptyInput("is empty")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16", errors="replace")
    _refuse_binary(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for label in (declared, _declared_charset(data)):
        if (text := _try_decode(data, label)) and _bytes_fit(data, label):
            return text
    best = from_bytes(data[: 4 * 1024 * 1024]).best()
    if best is None or best.encoding is None:
        raise UnknownEncoding("is not UTF-8 and no known encoding fits it")
    text = _try_decode(data, best.encoding)
    if text is None:
        raise UnknownEncoding(f"looked like {best.encoding} but does not decode as it")
    return text


def _bytes_fit(data: bytes, label: str | None) -> bool:
    """Whether the bytes read as plausible text in the declared charset.

    A declared label is often wrong (a Big5 page labelled gbk decodes without error into
    nonsense, since the two share byte ranges), so the detector is asked to judge the declared
    charset alone; if it finds that reading implausible, detection decides instead.
    """
    name = _codec_name(label)
    if name is None:
        return False
    return from_bytes(data[:_JUDGE_BYTES], cp_isolation=[name]).best() is not None


def _refuse_binary(data: bytes) -> None:
    head = data[:_SNIFF_BYTES]
    for signature in _BINARY_SIGNATURES:
        if head.startswith(signature):
            raise BinaryInput("is binary data (a file signature of an image, archive or PDF), not text")
    if b"\x00" in head:
        raise BinaryInput("is binary data (it contains NUL bytes), not text")
    controls = sum(byte < 9 or 13 < byte < 32 for byte in head if byte != 27)
    if controls > len(head) * 0.05:
        raise BinaryInput("is binary data (too many control bytes), not text")


def _declared_charset(data: bytes) -> str | None:
    head = data[:_SNIFF_BYTES]
    match = _DECLARED_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii", errors="ignore") if match else None


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def _try_decode(data: bytes, label: str | None) -> str | None:
    name = _codec_name(label)
    if name is None:
        return None
    try:
        return data.decode(name)
    except (UnicodeDecodeError, LookupError):
        return None
