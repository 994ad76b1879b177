"""Benchmark: importing 100,000 paper surveys from CSV on SQLite (issue 5: "under 60 seconds").

Run: .venv/bin/python bench/skm_import.py [ROWS]. It builds a throw-away SQLite database under var/bench/,
writes a CSV of random valid rows, and prints the time of ``skm_import`` and, as a baseline measured in the
same run, the time of reading and checking the same file without writing (so a slow machine shows in both).
"""

import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
bench_dir = ROOT / "var" / "bench"
bench_dir.mkdir(parents=True, exist_ok=True)
database = Path(tempfile.mkstemp(suffix=".sqlite3", dir=bench_dir)[1])
os.environ["DATABASE_URL"] = f"sqlite:///{database}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402


def main(rows: int) -> None:
    call_command("migrate", verbosity=0)
    from jangkau.surveys.imports import COLUMNS, _check_rows, skm_import, table_rows
    from jangkau.surveys.models import Response
    from tests.builders import make_world

    world = make_world("bench")
    rng = random.Random(14)
    lines = [",".join(COLUMNS)]
    for _ in range(rows):
        answers = ",".join(str(rng.randint(1, 4)) for _ in range(9))
        lines.append(
            f"2025-0{rng.randint(1, 6)}-1{rng.randint(0, 9)},{rng.choice('LP')},{rng.randint(15, 90)},"
            f"{rng.choice(['sd', 'smp', 'sma', 'd1_d3', 'd4_s1', 's2'])},{rng.choice(['pns', 'private', 'other'])},"
            f"{answers},,"
        )
    content = ("\n".join(lines) + "\n").encode()

    from jangkau.surveys.imports import ImportReport

    started = time.perf_counter()
    _check_rows(table_rows(content, "bench.csv"), world.office, ImportReport())
    checked = time.perf_counter() - started

    started = time.perf_counter()
    report = skm_import(office=world.office, content=content, filename="bench.csv")
    imported = time.perf_counter() - started

    assert report.imported == rows == Response.objects.count(), report
    print(f"rows: {rows}, CSV {len(content) / 1e6:.1f} MB, SQLite")
    print(f"read and check only (baseline): {checked:.1f} s")
    print(f"import (check + write):         {imported:.1f} s  ({rows / imported:,.0f} rows/s)")
    verdict = "met" if imported < 60 else "MISSED"
    print(f"writing costs {imported / checked:.2f}x the checking alone; limit 60 s: {verdict}")


if __name__ == "__main__":
    try:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
    finally:
        database.unlink(missing_ok=True)
