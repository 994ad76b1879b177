"""Every user-facing string has an English translation, and the compiled catalogue matches the source."""

import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def entries(po_path: Path) -> list[tuple[str, str, bool]]:
    """Returns (msgid, msgstr, fuzzy) per entry of a .po file, plural forms joined by NUL as gettext does."""
    text = po_path.read_text(encoding="utf-8")
    result = []
    for block in text.split("\n\n"):
        fuzzy = "#, fuzzy" in block or re.search(r"^#,.*\bfuzzy\b", block, re.M) is not None
        fields: dict[str, list[str]] = {}
        current = None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = [match.group(2)]
            elif line.startswith('"') and current:
                fields[current].append(line[1:-1])
        if "msgid" not in fields:
            continue
        msgid = "".join(fields["msgid"])
        if not msgid:
            continue  # the header
        strs = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
        result.append((msgid, "\x00".join("".join(s) for s in strs), fuzzy))
    return result


@pytest.mark.parametrize("language", ["en"])
def test_every_message_is_translated_and_not_fuzzy(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    assert po.exists(), f"{po} is missing: run `make messages`"
    missing = [msgid for msgid, msgstr, fuzzy in entries(po) if fuzzy or not msgstr.replace("\x00", "")]

    assert len(entries(po)) > 100
    assert missing == [], f"untranslated or fuzzy in {language}: {missing[:10]}"


@pytest.mark.parametrize("language", ["en"])
def test_the_compiled_catalogue_matches_the_source(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    with (po.with_suffix(".mo")).open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)

    def unescape(value: str) -> str:
        return value.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")

    stale = []
    for msgid, msgstr, _fuzzy in entries(po):
        if "\x00" in msgstr:
            continue  # plural entries: checked through ngettext by Django itself
        if catalogue.gettext(unescape(msgid)) != unescape(msgstr):
            stale.append(msgid)
    assert stale == [], f"{po.with_suffix('.mo')} is stale: run `make messages` ({stale[:5]})"
