"""OCR accuracy and speed on rendered scans: known text (a 低保 list with valid ID numbers, a notice) printed
with the CJK font at 150 and 300 dpi, straight, rotated ±2° and with speckle noise, saved as JPEG, and read
by the screening OCR (tesseract chi_sim+eng, psm 6).

    python bench/bench_ocr.py [--rows 25] [--seed 1] [--dpis 150,300]

Character accuracy is 1 − edit distance / length over the text without whitespace; ID recall counts the
planted ID numbers the scanner finds (checksum included) in the OCR text. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the rendered scans of the tests

from tests.screening import scans

from gongkai.screening import ocr
from gongkai.screening.scanner import scan_text


def distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        row = [i]
        for j, cb in enumerate(b, start=1):
            row.append(min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = row
    return previous[-1]


def squash(text: str) -> str:
    return re.sub(r"\s", "", text)


def variant(image, name: str, rng: random.Random):  # type: ignore[no-untyped-def]
    if name.startswith("rot"):
        return image.rotate(float(name[3:]), resample=3, expand=False, fillcolor=255)
    if name == "noise":
        from PIL import ImageFilter

        out = image.copy()
        px = out.load()
        w, h = out.size
        for _ in range(w * h // 200):  # 0.5 % of the pixels flipped to black or white (dust, toner), then a blur
            px[rng.randrange(w), rng.randrange(h)] = rng.choice((0, 255))
        return out.filter(ImageFilter.GaussianBlur(0.6))
    return image


def run(rows: int, seed: int, dpis: list[int]) -> None:
    people = scans.relief_rows(rows, seed=seed)
    truth_list = "".join(
        ["2026年第四季度城乡最低生活保障对象名单", "姓名身份证号联系电话", *("".join(r) for r in people)]
    )
    ids = {r[1] for r in people}
    print(f"\n{rows}-row 低保 list ({len(ids)} ID numbers) + one notice page per case, JPEG quality 90:")
    print(f"  {'dpi':>4} {'case':<7}{'char acc list':>14}{'char acc notice':>16}{'ID recall':>11}{'s/page':>8}")
    totals: dict[int, list[int]] = {}
    for dpi in dpis:
        found_all = 0
        for case in ("straight", "rot+2", "rot-2", "noise"):
            rng = random.Random(seed)
            accs = []
            seconds = 0.0
            found = 0
            for kind, image, truth in (
                ("list", scans.relief_list(people, dpi=dpi), truth_list),
                ("notice", scans.notice(dpi=dpi), None),
            ):
                data = scans.jpeg(variant(image, case, rng), dpi=dpi)
                started = time.perf_counter()
                result = ocr.recognize("image", data, [])
                seconds += time.perf_counter() - started
                text = result.text
                truth = truth or "".join(scans.NOTICE)
                got = squash(text)
                accs.append(1 - distance(got, truth) / len(truth))
                if kind == "list":
                    found = len({f.value for f in scan_text(text) if f.kind == "id_card"} & ids)
            found_all += found
            print(f"  {dpi:>4} {case:<7}{accs[0]:>14.3f}{accs[1]:>16.3f}{found / len(ids):>11.3f}{seconds / 2:>8.1f}")
        totals[dpi] = [found_all, 4 * len(ids)]
    for dpi, (f, n) in totals.items():
        print(f"  ID recall at {dpi} dpi over all cases: {f}/{n} = {f / n:.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=25)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dpis", default="150,300")
    args = parser.parse_args()
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    engine = ocr.engine_version()
    if not engine:
        print("tesseract is not installed (scripts/install-ocr.sh): nothing to measure")
        return 0
    print(f"  engine: {engine}")
    run(args.rows, args.seed, [int(d) for d in args.dpis.split(",")])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
