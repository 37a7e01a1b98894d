"""Screening accuracy and speed: precision/recall per kind on the labelled corpus, and MB/s of text on
one core against ripgrep running the same patterns (without checksums) on the same files.

    python bench/bench_screening.py [--docs 400] [--lists 120] [--mb 20] [--seed 1]

Prints figures and machine facts; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from gongkai.screening.report import scan_path
from gongkai.screening.scanner import fold, scan_text
from screening_corpus import generate

KINDS = ["id_card", "mobile", "bank_card", "landline", "email", "account_name", "classified", "internal"]
# The same detectors as plain regular expressions, for ripgrep: what a scanner without checksums sees.
RG_PATTERNS = [
    r"[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]",
    r"(?:\+86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}",
    r"62\d{14,17}",
    r"\(?0\d{2,3}\)?-?[2-9]\d{6,7}",
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
    r"(?:绝密|机密|秘密)★",
    r"内部资料|注意保存|不得外传",
]


def normal(kind: str, value: str) -> str:
    core = re.sub(r"[^0-9A-Za-z\u4e00-\u9fff★]", "", fold(value)).upper()
    if kind == "mobile":
        return core[-11:]
    return core


def accuracy(corpus: Path) -> None:
    expected: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for line in (corpus / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        expected[item["file"]][(item["kind"], normal(item["kind"], item["value"]))] += 1
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    files = sorted(p for p in corpus.iterdir() if p.name != "labels.jsonl")
    started = time.perf_counter()
    for path in files:
        rep = scan_path(path)
        if rep.status != "ok":
            print(f"  {path.name}: {rep.status} {rep.reason}")
        want = expected[path.name].copy()
        for located in rep.findings:
            f = located.finding
            key = (f.kind, normal(f.kind, f.value))
            if want[key] > 0:
                want[key] -= 1
                tp[f.kind] += 1
            else:
                fp[f.kind] += 1
                if len(examples[f.kind]) < 3:
                    examples[f.kind].append(f"{path.name} {located.location}: {located.context}")
        for (kind, _), n in want.items():
            fn[kind] += n
    elapsed = time.perf_counter() - started
    print(f"\nAccuracy on {len(files)} files ({elapsed:.1f} s incl. XLSX parsing):")
    print(f"  {'kind':<14}{'TP':>7}{'FP':>6}{'FN':>6}{'precision':>11}{'recall':>9}")
    kinds = sorted(set(tp) | set(fp) | set(fn), key=lambda k: KINDS.index(k) if k in KINDS else 99)
    for kind in kinds:
        p = tp[kind] / (tp[kind] + fp[kind]) if tp[kind] + fp[kind] else float("nan")
        r = tp[kind] / (tp[kind] + fn[kind]) if tp[kind] + fn[kind] else float("nan")
        print(f"  {kind:<14}{tp[kind]:>7}{fp[kind]:>6}{fn[kind]:>6}{p:>11.4f}{r:>9.4f}")
    all_tp, all_fp, all_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    print(
        f"  {'ALL':<14}{all_tp:>7}{all_fp:>6}{all_fn:>6}{all_tp / (all_tp + all_fp):>11.4f}"
        f"{all_tp / (all_tp + all_fn):>9.4f}"
    )
    for kind, lines in examples.items():
        for line in lines:
            print(f"  false positive {kind}: {line}")


def throughput(corpus: Path, megabytes: int) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    blob = "".join(texts)
    size = len(blob.encode("utf-8"))
    repeat = max(1, megabytes * 2**20 // size)
    with tempfile.TemporaryDirectory() as tmp:
        # Same files for both: repeated notices and tables, ~1 MB each.
        files = []
        per_file = max(1, 2**20 // size) if size < 2**20 else 1
        for i in range(max(1, repeat // per_file)):
            path = Path(tmp) / f"part_{i:04d}.txt"
            path.write_text(blob * per_file, encoding="utf-8")
            files.append(path)
        total = sum(p.stat().st_size for p in files)
        started = time.process_time()
        count = 0
        for path in files:
            count += len(scan_text(path.read_text(encoding="utf-8")))
        ours = time.process_time() - started
        print(f"\nThroughput on {total / 2**20:.1f} MB of UTF-8 text ({len(files)} files), one core:")
        print(f"  gongkai scan_text: {total / 2**20 / ours:8.2f} MB/s  ({count} findings, {ours:.2f} s CPU)")
        rg = shutil.which("rg")
        if rg is None:
            print("  rg: not installed (apt-get install ripgrep) — no comparison")
            return
        args = [rg, "-j1", "--count-matches", "--no-filename", "--no-messages"]
        for pattern in RG_PATTERNS:
            args += ["-e", pattern]
        started = time.perf_counter()
        out = subprocess.run([*args, *map(str, files)], capture_output=True, text=True, check=False)
        theirs = time.perf_counter() - started
        matches = sum(int(x) for x in out.stdout.split())
        print(f"  rg -j1 (same patterns, no checksums): {total / 2**20 / theirs:8.2f} MB/s  ({matches} matches)")
        print(f"  ratio rg / gongkai: {ours / theirs:.1f}×")


def machine() -> None:
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform()}"
    )
    rg = shutil.which("rg")
    if rg:
        print("  " + subprocess.run([rg, "--version"], capture_output=True, text=True).stdout.splitlines()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description="保密审查扫描的准确率与速度")
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--lists", type=int, default=120)
    parser.add_argument("--mb", type=int, default=20, help="速度测试的文本量（MB）")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="保留语料的目录")
    args = parser.parse_args()
    machine()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.keep or Path(tmp)
        print(generate(corpus, docs=args.docs, lists=args.lists, seed=args.seed))
        accuracy(corpus)
        throughput(corpus, args.mb)


if __name__ == "__main__":
    main()
