"""Reads the text of the PDFs that WeasyPrint writes, with the standard library alone.

Neither pypdf nor poppler's pdftotext is available in CI. WeasyPrint (through pydyf) writes its objects in
compressed object streams, embeds fonts as Type0 subsets and draws text as glyph ids; each font's ToUnicode
CMap maps the ids back to characters. This reads just enough of the format for that. It is a helper for
tests of our own PDFs, not a general PDF parser: it fails loudly on anything it does not understand.
"""

from __future__ import annotations

import re
import zlib

_OBJ_START = re.compile(rb"(\d+)\s+0\s+obj\b")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_TO_UNICODE = re.compile(rb"/ToUnicode\s+(\d+)\s+0\s+R")
_NAMED_REF = re.compile(rb"/([A-Za-z0-9_.+-]+)\s+(\d+)\s+0\s+R")
_CONTENT_TOKEN = re.compile(
    rb"/([^\s/\[\]<>()]+)\s+[-\d.]+\s+Tf"  # font selection
    rb"|\[((?:[^\]])*)\]\s*TJ"  # shown text with kerning
    rb"|<([0-9A-Fa-f]*)>\s*Tj"  # shown text
)
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")


def pdf_objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Returns {object number: (dictionary bytes, decompressed stream or None)}, object streams unpacked."""
    if not pdf.startswith(b"%PDF-"):
        raise ValueError("not a PDF")
    objects: dict[int, tuple[bytes, bytes | None]] = {}
    pos = 0
    while match := _OBJ_START.search(pdf, pos):
        number, start = int(match.group(1)), match.end()
        end = pdf.find(b"endobj", start)
        stream_at = pdf.find(b"stream", start)
        if end == -1:
            raise ValueError(f"object {number} has no end")
        if stream_at == -1 or stream_at > end:
            objects[number] = (pdf[start:end].strip(), None)
            pos = end + len(b"endobj")
            continue
        head = pdf[start:stream_at]
        length = _LENGTH.search(head)
        if length is None:
            raise ValueError(f"object {number}: stream without a direct /Length")
        data_start = stream_at + len(b"stream")
        data_start += 2 if pdf[data_start : data_start + 2] == b"\r\n" else 1
        data_end = data_start + int(length.group(1))
        data = pdf[data_start:data_end]
        if b"/FlateDecode" in head:
            data = zlib.decompress(data)
        objects[number] = (head.strip(), data)
        pos = pdf.find(b"endobj", data_end) + len(b"endobj")
    for head, data in list(objects.values()):
        if data is not None and b"/ObjStm" in head:
            objects.update(_unpack_object_stream(head, data))
    return objects


def _unpack_object_stream(head: bytes, data: bytes) -> dict[int, tuple[bytes, None]]:
    count = int(re.search(rb"/N\s+(\d+)", head).group(1))
    first = int(re.search(rb"/First\s+(\d+)", head).group(1))
    numbers = [int(n) for n in data[:first].split()]
    pairs = list(zip(numbers[0::2], numbers[1::2], strict=True))[:count]
    unpacked = {}
    for index, (number, offset) in enumerate(pairs):
        stop = pairs[index + 1][1] if index + 1 < len(pairs) else len(data) - first
        unpacked[number] = (data[first + offset : first + stop].strip(), None)
    return unpacked


def _parse_cmap(cmap: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        codes = _HEX.findall(block)
        for source, target in zip(codes[0::2], codes[1::2], strict=True):
            mapping[int(source, 16)] = bytes.fromhex(target.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, target in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])", block
        ):
            low, high = int(low, 16), int(high, 16)
            if target.startswith(b"["):
                for offset, each in enumerate(_HEX.findall(target)):
                    mapping[low + offset] = bytes.fromhex(each.decode()).decode("utf-16-be")
            else:
                start = bytes.fromhex(target[1:-1].decode()).decode("utf-16-be")
                for offset in range(high - low + 1):
                    mapping[low + offset] = start[:-1] + chr(ord(start[-1]) + offset)
    return mapping


def pdf_text(pdf: bytes) -> str:
    """Returns the text drawn in ``pdf``, one line per text run, pages in object order."""
    objects = pdf_objects(pdf)
    cmaps = {}
    for number, (head, _data) in objects.items():
        found = _TO_UNICODE.search(head)
        if found:
            cmaps[number] = _parse_cmap(objects[int(found.group(1))][1] or b"")
    fonts: dict[bytes, dict[int, str]] = {}
    for head, _data in objects.values():
        for name, target in _NAMED_REF.findall(head):
            if int(target) in cmaps:
                fonts[name] = cmaps[int(target)]
    lines = []
    for _head, data in objects.values():
        if data is None or b"BT" not in data or b"Tf" not in data:
            continue
        font: dict[int, str] = {}
        for selected, array, single in _CONTENT_TOKEN.findall(data):
            if selected:
                if selected not in fonts:
                    raise ValueError(f"font /{selected.decode()} has no ToUnicode map")
                font = fonts[selected]
                continue
            codes = b"".join(_HEX.findall(array)) if array else single
            if len(codes) % 4:
                raise ValueError("expected two-byte glyph codes (Identity-H)")
            lines.append("".join(font.get(int(codes[i : i + 4], 16), "\ufffd") for i in range(0, len(codes), 4)))
    return "\n".join(lines)
