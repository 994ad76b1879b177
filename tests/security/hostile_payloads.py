"""A named catalogue of hostile input, sent to every form and every API input by ``test_hostile_input``.

Each family is a tuple of :class:`Text` (typed into a field) or :class:`Upload` (a file sent with a form).
A text's ``raw_markers`` are what must never appear unescaped in a page that shows it (the proof that it
is stored and shown as inert text), and ``escaped_marker`` what the page shows instead.

Some values cannot travel as ordinary form data: a lone surrogate cannot be encoded as UTF-8, so forms
receive it as the bytes a careless client sends (``%ED%A0%80``, CESU-8, in ``form_bytes``) and the JSON API
as the escape ``"\\ud800"`` (which ``json.dumps`` writes for it).
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Raw:
    """A JSON literal sent as it is (NaN, 1e309, a 5000-digit number), which json.dumps would not write."""

    literal: str


@dataclass(frozen=True, eq=False)
class Text:
    family: str
    label: str
    value: object  # a str, except in JSON_VALUES
    # Strings that must never appear as they are in an HTML page showing the value (markup that would run).
    raw_markers: tuple[str, ...] = ()
    # How the page shows the value instead, escaped; checked where a target says the value is shown.
    escaped_marker: str = ""
    # The value url-encoded as bytes when it cannot be UTF-8 encoded (a lone surrogate).
    form_bytes: bytes | None = None

    @property
    def check_pages(self) -> bool:
        """Whether pages showing an accepted value are opened and checked: markup, and the Unicode edge cases
        together (each of the others is stored like any text)."""
        return self.family == "script_html" or bool(self.escaped_marker)


@dataclass(frozen=True)
class Upload:
    family: str
    label: str
    filename: str
    content: bytes
    content_type: str
    # Whether the content really is an acceptable PDF, JPG or PNG (or survey table): the server may store it;
    # any other upload must be refused.
    acceptable: bool = False


# --- text families ---------------------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"

# Each payload below packs the cases of its family that a field accepts or refuses alike into one value, so
# one request tries them all; the cases a field may treat differently are separate payloads.
SCRIPT_HTML = (
    Text(
        "script_html",
        "script tag, attribute and textarea break-outs, svg onload",
        f"\"><img src=x onerror=alert(1)>{SCRIPT}</textarea><svg/onload=alert(2)>' autofocus onfocus='alert(3)",
        (SCRIPT, "<img src=x onerror=alert(1)>", "<svg/onload=alert(2)>", "' autofocus onfocus='alert(3)"),
        SCRIPT_ESCAPED,
    ),
    Text("script_html", "javascript: URL", "javascript:alert(document.cookie)", ('href="javascript:',)),
)

SQL = (
    Text(
        "sql",
        "tautology, stacked DROP, UNION, LIKE wildcards, path traversal",
        "' OR 1=1 -- \"; DROP TABLE cases_case; -- %' UNION SELECT password FROM accounts_user WHERE '%'=' "
        "../../../../etc/passwd",
    ),
)

# Template syntax: stored as text, and where staff write message templates, refused or rendered inert.
TEMPLATE = (
    Text(
        "template",
        "Django variable and tag, Python and shell formats",
        "{{ request.user.password }}{{ settings.SECRET_KEY }}{% debug %}{% load log %} %(number)s %s {0} ${7*7}",
    ),
)

OVERLONG = (
    Text("overlong_10k", "10,000 characters with emoji", "A" * 5_000 + "\U0001f600" * 5_000),
    Text("overlong_1m", "1,000,000 characters", "B" * 1_000_000),
)

# Every edge case a text field may store, together: checked for escaping and for pages that still render.
UNICODE_SHOWN = (
    "Siti \U0001f600\U0001f64f \U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 \U0001f1ee\U0001f1e9 "
    "Z" + "\u0336\u0337\u0338\u0301\u0308" * 40 + " \uff10\uff18\uff11\uff12 \u00b2\u00b3 \u0661\u0662 "
    "\u0645\u0631\u062d\u0628\u0627 \U00020000\U0002a6d6 a\u2028b\u2029c \uffff\ufffe"
)
UNICODE = (
    Text("unicode", "right-to-left override", "Siti \u202etxt.exe"),
    Text(
        "unicode",
        "right-to-left mark, zero-width space, byte order mark, ANSI escape, CRLF header injection",
        "\ufeff\u200fSiti\u200b Aminah\u200f \x1b[31mmerah\x1b[0m a\r\nSet-Cookie: jangkau=1\r\n",
    ),
    Text(
        "unicode",
        "emoji with ZWJ sequences and flags, combining stack, full-width, superscript and Arabic-Indic digits, "
        "RTL script, astral CJK, line separators, non-characters",
        UNICODE_SHOWN,
        escaped_marker="\U0001f1ee\U0001f1e9",
    ),
)

NUL = (Text("nul", "NUL inside text", "Siti\x00Aminah"),)

SURROGATE = (
    Text(
        "surrogate",
        "lone high surrogate",
        "\ud800",
        form_bytes=b"a%ED%A0%80b",
    ),
)

DATES = (
    Text("date", "30 February", "2025-02-30"),
    Text("date", "30/02/2025", "30/02/2025"),
    Text("date", "five-digit year", "99999-01-01"),
    Text("date", "last day of year 9999", "31/12/9999"),
    Text("date", "year 9999 ISO", "9999-12-31"),
    Text("date", "year 1", "01/01/0001"),
    Text("date", "year 1 ISO", "0001-01-01"),
    Text("date", "zero date", "0000-00-00"),
    Text("date", "month 13", "2025-13-01"),
    Text("date", "negative year", "-2025-01-01"),
    Text("date", "full-width date", "\uff12\uff10\uff12\uff15-\uff10\uff11-\uff10\uff17"),
    Text("date", "word", "besok"),
    Text("date", "1e309", "1e309"),
)

TIMES = (
    Text("time", "hour 25", "25:00"),
    Text("time", "minute 60", "23:60"),
    Text("time", "negative", "-1:00"),
    Text("time", "huge", "99999:99"),
    Text("time", "seconds and zone", "10:00:00+07:00"),
    Text("time", "NaN", "NaN"),
)

NUMBERS = (
    Text("number", "1e309", "1e309"),
    Text("number", "NaN", "NaN"),
    Text("number", "Infinity", "Infinity"),
    Text("number", "-0", "-0"),
    Text("number", "negative", "-1"),
    Text("number", "huge int", "99999999999999999999999"),
    Text("number", "5000 digits", "9" * 5000),
    Text("number", "decimal", "1.5"),
    Text("number", "full-width", "\uff11\uff12"),
    Text("number", "superscript", "\u00b2"),
    Text("number", "arabic-indic", "\u0661\u0662"),
    Text("number", "max bigint + 1", "9223372036854775808"),
)

NIK = (
    Text("nik", "too short", "317101520385"),
    Text("nik", "too long", "31710152038500011"),
    Text("nik", "letters", "ABCDEFGHIJKLMNOP"),
    Text("nik", "unknown province", "9971015203850001"),
    Text("nik", "area 00", "3100015203850001"),
    Text("nik", "day 99", "3171019903850001"),
    Text("nik", "month 13", "3171015213850001"),
    Text("nik", "serial 0000", "3171015203850000"),
    Text("nik", "full-width digits", "".join(chr(0xFF10 + int(d)) for d in "3171015203850001")),
    Text("nik", "superscript digit", "317101\u00b2203850001"),
    Text("nik", "arabic-indic digits", "".join(chr(0x0660 + int(d)) for d in "3171015203850001")),
    Text("nik", "zero-width space inside", "31710152\u200b03850001"),
    Text("nik", "negative", "-171015203850001"),
)

PHONES = (
    Text("phone", "too short", "0812"),
    Text("phone", "too long", "0812345678901234567890"),
    Text("phone", "letters", "nol delapan satu dua"),
    Text("phone", "foreign", "+1 202 555 0143"),
    Text("phone", "full-width digits", "\uff10\uff18\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff10"),
    Text("phone", "superscript digits", "0812\u00b3456\u00b9890"),
    Text("phone", "tel URI", "tel:+62-812-3456-7890;ext=1"),
    Text("phone", "emoji", "0812\U0001f4de34567890"),
    Text("phone", "huge", "+62" + "9" * 300),
)

# Every family typed into free text (names, reasons, notes...).
TEXT_FAMILIES = {
    "script_html": SCRIPT_HTML,
    "sql": SQL,
    "template": TEMPLATE,
    "overlong": OVERLONG,
    "unicode": UNICODE,
    "nul": NUL,
    "surrogate": SURROGATE,
}
FREE_TEXT = tuple(text for family in TEXT_FAMILIES.values() for text in family)
# What a choice, a hidden field or a number-like field gets besides its own family: enough to prove the
# field refuses without a crash (the whole free-text catalogue would only repeat the same refusal).
CHOICE_TEXT = (SCRIPT_HTML[0], SQL[0], OVERLONG[0], UNICODE[0], UNICODE[2], NUL[0], SURROGATE[0])
DATE_TEXT = DATES + CHOICE_TEXT
TIME_TEXT = TIMES + CHOICE_TEXT
NUMBER_TEXT = NUMBERS + CHOICE_TEXT
NIK_TEXT = NIK + CHOICE_TEXT
PHONE_TEXT = PHONES + CHOICE_TEXT
# Where the intake's NIK and phone rules run again (the API, data-subject requests): the look-alike digits
# and the structure errors, the rest being tried on the web intake.
NIK_SHORT = tuple(
    n for n in NIK if n.label in {"letters", "day 99", "full-width digits", "superscript digit", "arabic-indic digits"}
)
PHONE_SHORT = tuple(p for p in PHONES if p.label in {"letters", "full-width digits", "superscript digits", "huge"})

# --- uploads ------------------------------------------------------------------------------------------------


def _png(width: int, height: int, *, bit_depth: int = 1, colour_type: int = 0) -> bytes:
    """Returns a valid PNG of ``width`` × ``height`` pixels, all zero: a few kilobytes that decode to
    ``width * height`` pixels (a decompression bomb when large)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + b"\x00" * ((width * bit_depth + 7) // 8)
    compressor = zlib.compressobj(9)
    raw = io.BytesIO()
    block = row * 256
    for _ in range(height // 256):
        raw.write(compressor.compress(block))
    raw.write(compressor.compress(row * (height % 256)))
    raw.write(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw.getvalue()) + chunk(b"IEND", b"")


TINY_PNG = _png(2, 2)
TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 50 + b"This program cannot be run in DOS mode"
SVG_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="1" height="1"/></svg>'
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"

UPLOADS = (
    Upload("upload", "ELF executable named .pdf", "surat-kuasa.pdf", ELF, "application/pdf"),
    Upload("upload", "MZ executable named .pdf", "surat-kuasa.pdf", MZ, "application/pdf"),
    Upload("upload", "SVG with script named .svg", "foto.svg", SVG_SCRIPT, "image/svg+xml"),
    Upload("upload", "SVG with script named .png", "foto.png", SVG_SCRIPT, "image/png"),
    Upload("upload", "HTML named .pdf", "surat.pdf", HTML_PAGE, "application/pdf"),
    Upload("upload", "empty file", "kosong.pdf", b"", "application/pdf"),
    Upload("upload", "PDF header only (no end marker)", "potong.pdf", b"%PDF-1.4\n" + HTML_PAGE, "application/pdf"),
    Upload("upload", "PNG signature then garbage", "rusak.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),
    Upload("upload", "JPEG signature then HTML", "rusak.jpg", b"\xff\xd8\xff\xe0" + HTML_PAGE, "image/jpeg"),
    Upload("upload", "50-megapixel PNG", "besar.png", _png(8000, 6250), "image/png", acceptable=True),
    Upload("upload", "400-megapixel PNG bomb", "bom.png", _png(20000, 20000), "image/png"),
    Upload(
        "upload", "over 5 MB", "besar.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024) + b"\n%%EOF\n", "application/pdf"
    ),
    Upload(
        "upload", "real PDF, hostile name", '../../"><script>alert(1)</script>.pdf', TINY_PDF, "application/pdf", True
    ),
    Upload(
        "upload", "real PNG, CRLF and RTL in name", "a\r\nSet-Cookie: x=1\u202egnp.exe", TINY_PNG, "image/png", True
    ),
    Upload("upload", "real PDF, 10,000-character name", "n" * 10_000 + ".pdf", TINY_PDF, "application/pdf", True),
)

# Survey import files (CSV or XLSX expected).
CSV_HEADER = "date,sex,age,education,occupation,u1,u2,u3,u4,u5,u6,u7,u8,u9,suggestion,registration_number"


def _csv(*rows: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join((CSV_HEADER, *rows)) + "\n").encode(encoding, "surrogatepass")


_GOOD_ROW = "2025-01-03,male,40,sma,swasta,4,4,4,4,4,4,4,4,4,{suggestion},"
IMPORTS = (
    Upload("import", "ELF named .csv", "survei.csv", ELF, "text/csv"),
    Upload("import", "HTML named .xlsx", "survei.xlsx", HTML_PAGE, "application/octet-stream"),
    Upload("import", "zip that is not a workbook", "survei.xlsx", b"PK\x03\x04" + b"\x00" * 100, "application/zip"),
    Upload("import", "empty CSV", "survei.csv", b"", "text/csv"),
    Upload(
        "import",
        "Latin-1 CSV",
        "survei.csv",
        _csv(_GOOD_ROW.format(suggestion="caf\u00e9"), encoding="latin-1"),
        "text/csv",
    ),
    Upload("import", "CSV with NUL", "survei.csv", _csv(_GOOD_ROW.format(suggestion="a\x00b")), "text/csv"),
    Upload(
        "import", "CSV with lone surrogate", "survei.csv", _csv(_GOOD_ROW.format(suggestion="a\ud800b")), "text/csv"
    ),
    Upload(
        "import",
        "CSV with script and formula",
        "survei.csv",
        _csv(_GOOD_ROW.format(suggestion='"=HYPERLINK(""http://x"",""<script>alert(1)</script>"")"')),
        "text/csv",
        acceptable=True,
    ),
    Upload(
        "import",
        "CSV with superscript age",
        "survei.csv",
        _csv(_GOOD_ROW.replace(",40,", ",\u00b2\u00b3,").format(suggestion="")),
        "text/csv",
    ),
    Upload(
        "import",
        "CSV with superscript answer",
        "survei.csv",
        _csv(_GOOD_ROW.replace("4,4,4,4,4,4,4,4,4", "\u00b3,4,4,4,4,4,4,4,4").format(suggestion="")),
        "text/csv",
    ),
    Upload(
        "import",
        "CSV with 10,000-year date",
        "survei.csv",
        _csv(_GOOD_ROW.replace("2025-01-03", "99999-01-01").format(suggestion="")),
        "text/csv",
    ),
    Upload(
        "import",
        "CSV with 1M-character cell",
        "survei.csv",
        _csv(_GOOD_ROW.format(suggestion="x" * 1_000_000)),
        "text/csv",
    ),
    Upload(
        "import",
        "CSV, hostile file name",
        'a"><script>alert(1)</script>\r\n.csv',
        _csv(_GOOD_ROW.format(suggestion="")),
        "text/csv",
        True,
    ),
)

DATETIMES = (
    Text("datetime", "naive", "2025-01-08T10:00:00"),
    Text("datetime", "year 9999 east of UTC", "9999-12-31T23:59:59+14:00"),
    Text("datetime", "year 9999 west of UTC", "9999-12-31T23:59:59-12:00"),
    Text("datetime", "year 1 west of UTC", "0001-01-01T00:00:00-12:00"),
    Text("datetime", "year 1 east of UTC", "0001-01-01T00:00:00+14:00"),
    Text("datetime", "hour 25", "2025-01-08T25:00:00+07:00"),
    Text("datetime", "six-digit year", "+275760-09-13T00:00:00Z"),
    Text("datetime", "epoch seconds", "1736301600"),
    Text("datetime", "offset 24:00", "2025-01-08T10:00:00+24:00"),
) + DATES

# --- JSON values of every type, for each field of the API ----------------------------------------------------

_DEEP = {"a": None}
for _ in range(200):
    _DEEP = {"a": _DEEP}

JSON_VALUES = (
    Text("json_type", "integer", 123),
    Text("json_type", "true", True),
    Text("json_type", "null", None),
    Text("json_type", "empty list", []),
    Text("json_type", "list of strings", ["a", SCRIPT]),
    Text("json_type", "object", {"$ne": "", "__proto__": {"admin": True}}),
    Text("json_type", "200 nested objects", _DEEP),
    Text("json_type", "NaN literal", Raw("NaN")),
    Text("json_type", "1e309 literal", Raw("1e309")),
    Text("json_type", "5000-digit integer literal", Raw("9" * 5000)),
)

# JSON integers around the limits of the database's integers and of the domain's ranges.
INT_VALUES = (
    Text("number", "JSON -1", -1),
    Text("number", "JSON 0", 0),
    Text("number", "JSON 2**31", 2**31),
    Text("number", "JSON 2**63", 2**63),
    Text("number", "JSON 10**30", 10**30),
    Text("number", "JSON -10**30", -(10**30)),
)

# Whole bodies that are not the JSON object an operation reads.
JSON_BODIES = (
    ("json_shape", "empty body", b""),
    ("json_shape", "truncated", b'{"a": '),
    ("json_shape", "single quotes", b"{'reason': 'x'}"),
    ("json_shape", "trailing comma", b'{"reason": "x",}'),
    ("json_shape", "null", b"null"),
    ("json_shape", "array", b"[]"),
    ("json_shape", "string", b'"reason"'),
    ("json_shape", "number", b"1e309"),
    ("json_shape", "NaN", b"NaN"),
    ("json_shape", "empty object", b"{}"),
    ("json_shape", "unknown fields only", b'{"unknown": 1, "__proto__": {"is_staff": true}}'),
    ("json_shape", "invalid UTF-8", b'{"reason": "' + bytes([0xFF, 0xFE]) + b'"}'),
    ("json_shape", "UTF-8 byte order mark", b'\xef\xbb\xbf{"reason": "x"}'),
    ("json_shape", "UTF-16", '{"reason": "x"}'.encode("utf-16")),
    ("json_shape", "lone surrogate escape", b'{"reason": "a\\ud800b"}'),
    ("json_shape", "escaped NUL", b'{"reason": "a\\u0000b"}'),
    ("json_shape", "100,000 nested arrays", b"[" * 100_000 + b"]" * 100_000),
    ("json_shape", "100,000 nested objects", b'{"a":' * 100_000 + b"1" + b"}" * 100_000),
    ("json_shape", "3 MB body", b'{"reason": "' + b"x" * 3_000_000 + b'"}'),
)

# What each operation's own schema must refuse (the rest is parsing, the same for every operation).
SCHEMA_BODIES = ("empty object", "array", "unknown fields only")

# Content types an API client may wrongly send with a body.
CONTENT_TYPES = (
    ("content_type", "text/plain", "text/plain", b'{"reason": "x"}'),
    ("content_type", "form-urlencoded", "application/x-www-form-urlencoded", b"reason=x&reason=%00"),
    ("content_type", "multipart without boundary", "multipart/form-data", b"--x\r\n"),
    (
        "content_type",
        "multipart",
        "multipart/form-data; boundary=x",
        b'--x\r\nContent-Disposition: form-data; name="reason"\r\n\r\nx\r\n--x--\r\n',
    ),
    ("content_type", "XML", "application/xml", b"<reason>x</reason>"),
    ("content_type", "none", "", b'{"reason": "x"}'),
    ("content_type", "JSON in UTF-16", "application/json; charset=utf-16", '{"reason": "x"}'.encode("utf-16")),
    ("content_type", "unknown charset", "application/json; charset=no-such-charset", b'{"reason": "x"}'),
)
