"""Labelled corpus for the screening scanner: township notices, subsidy-recipient lists (CSV in GBK and
UTF-8, XLSX) and PDF-like table text, with planted valid identifiers in many formats and look-alikes that
must not be flagged (checksum-invalid IDs, index and document numbers, credit codes, amounts, dates,
long serials).

    python bench/screening_corpus.py OUT_DIR [--docs 200] [--lists 60] [--seed 1]

Writes the files and ``labels.jsonl``: one line per planted positive ``{"file", "kind", "value"}``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
from datetime import date, timedelta
from pathlib import Path

from gongkai.screening.scanner import fold, id_check_char, luhn_ok

REGIONS = [
    "330102",
    "330106",
    "110105",
    "440305",
    "510104",
    "370281",
    "410102",
    "620102",
    "632123",
    "650102",
    "320582",
    "420111",
    "500103",
    "230102",
    "150102",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建华文华玉兰红梅志强春梅国庆淑珍"
VILLAGES = ["李家村", "王庄村", "东山社区", "河西村", "新华村", "柳树湾村", "石桥社区"]
SENTENCES = [
    "为进一步做好农村人居环境整治工作，结合我镇实际，现将有关事项通知如下。",
    "各村（社区）要高度重视，明确责任分工，确保各项工作落到实处。",
    "经村民代表会议评议、镇人民政府审核，现将有关情况予以公示。",
    "公示期间，如有异议，请以书面形式向镇民政办反映。",
    "本次补助资金由县财政统一拨付，通过社保卡发放到户。",
    "请各单位于规定时间内报送材料，逾期不报的视为放弃。",
    "镇党委、镇政府将对工作落实情况进行督查，并通报督查结果。",
    "各村要做好政策宣传，引导群众积极参与。",
]


class Doc:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.labels: list[tuple[str, str]] = []

    # Positives -------------------------------------------------------------------------------
    def resident_id(self) -> str:
        rng = self.rng
        born = date(1935, 1, 1) + timedelta(days=rng.randrange(0, 32000))
        first17 = f"{rng.choice(REGIONS)}{born:%Y%m%d}{rng.randrange(1000):03d}"
        number = first17 + id_check_char(first17)
        style = rng.random()
        if style < 0.65:
            written = number
        elif style < 0.75:
            written = f"{number[:6]} {number[6:14]} {number[14:]}"
        elif style < 0.82:
            written = " ".join(number[i : i + 4] for i in range(0, 18, 4))
        elif style < 0.88:
            written = number.translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})
        elif style < 0.93:
            written = number.lower()
        else:  # legacy 15-digit
            written = f"{first17[:6]}{first17[8:14]}{first17[14:17]}"
        self.labels.append(("id_card", written))
        return written

    def mobile(self) -> str:
        rng = self.rng
        digits = rng.choice(["138", "139", "150", "151", "186", "187", "199", "177", "166", "135"])
        digits += f"{rng.randrange(10**8):08d}"
        written = rng.choice(
            [
                digits,
                digits,
                digits,
                f"{digits[:3]} {digits[3:7]} {digits[7:]}",
                f"{digits[:3]}-{digits[3:7]}-{digits[7:]}",
                f"+86 {digits}",
                f"+86-{digits[:3]}-{digits[3:7]}-{digits[7:]}",
            ]
        )
        self.labels.append(("mobile", written))
        return written

    def bank_card(self) -> str:
        rng = self.rng
        body = rng.choice(["622202", "621700", "622848", "623052"]) + "".join(str(rng.randrange(10)) for _ in range(12))
        card = next(body + d for d in "0123456789" if luhn_ok(body + d))
        written = card if rng.random() < 0.7 else " ".join(card[i : i + 4] for i in range(0, len(card), 4))
        self.labels.append(("bank_card", written))
        return written

    def landline(self) -> str:
        written = self.rng.choice(["0571-8{:07d}", "(0571)8{:07d}", "010-6{:07d}", "0573-2{:06d}"])
        written = written.format(self.rng.randrange(10**6))
        self.labels.append(("landline", written))
        return written

    def email(self) -> str:
        written = f"{self.rng.choice(['zhang', 'li', 'wangfang', 'dsz'])}{self.rng.randrange(1000)}@qq.com"
        self.labels.append(("email", written))
        return written

    # Look-alikes (never labelled) ------------------------------------------------------------
    def invalid_id(self) -> str:
        number = self.resident_id()
        self.labels.pop()
        number = fold(number).replace(" ", "").upper()
        if len(number) != 18:
            return "3301021990030712" + "34"
        return number[:-1] + next(c for c in "0123456789X" if c != number[-1].upper())

    def lookalike(self) -> str:
        rng = self.rng
        year = rng.choice([2023, 2024, 2025])
        return rng.choice(
            [
                f"索引号：QH0101/{year}-{rng.randrange(1, 99999):05d}",
                f"索引号：113708280043326001/{year}-{rng.randrange(1, 99999):05d}",
                f"索引号：{rng.randrange(10**9, 10**10)}/{year}-{rng.randrange(1, 999999):06d}",
                f"文号：东政发〔{year}〕{rng.randrange(1, 200)}号",
                f"统一社会信用代码：91330100MA2{rng.randrange(10**6):06d}X{rng.randrange(10)}",
                f"统一社会信用代码：11330100{rng.randrange(10**9):09d}Q",
                f"补助金额{rng.randrange(100, 100000):,}.{rng.randrange(100):02d}元",
                f"合计{rng.randrange(10**6, 10**12)}元",
                f"成文日期：{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
                f"{year}年{rng.randrange(1, 13)}月{rng.randrange(1, 29)}日",
                f"流水号{rng.randrange(10**19, 10**24)}",
                f"项目编号ZB{year}-{rng.randrange(10**10, 10**11)}-01",
                f"身份证号（错误）{self.invalid_id()}",
                f"档案号{rng.randrange(10**17, 10**18)}",
                f"编号12{rng.randrange(10**8, 10**9)}",
            ]
        )

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.randint(1, 2)))


def notice(doc: Doc, number: int) -> str:
    rng = doc.rng
    lines = [f"东山镇人民政府关于第{number}批项目的通知", doc.lookalike(), doc.lookalike()]
    for _ in range(rng.randint(6, 14)):
        lines.append("".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 3))))
        roll = rng.random()
        if roll < 0.15:
            lines.append(f"申请人{doc.name()}，身份证号码{doc.resident_id()}，联系电话{doc.mobile()}。")
        elif roll < 0.25:
            lines.append(f"联系人：{doc.name()}，手机：{doc.mobile()}，办公电话：{doc.landline()}。")
        elif roll < 0.3:
            lines.append(f"户名：{doc.name()} 开户行：农商银行 账号：{doc.bank_card()}")
            doc.labels.append(("account_name", lines[-1].split("户名：")[1].split(" ")[0]))
        elif roll < 0.33:
            lines.append(f"来信请寄电子邮箱 {doc.email()}。")
        else:
            lines.append(doc.lookalike())
    if rng.random() < 0.08:
        lines.insert(0, "内部资料 注意保存")
        doc.labels += [("internal", "内部资料"), ("internal", "注意保存")]
    if rng.random() < 0.05:
        lines.insert(0, "秘密★1年")
        doc.labels.append(("classified", "秘密★1年"))
    return "\n".join(lines) + "\n"


def recipient_rows(doc: Doc, count: int) -> list[list[str]]:
    rng = doc.rng
    rows = [["序号", "姓名", "身份证号码", "联系电话", "家庭住址", "补助金额（元）", "一卡通账号", "发放日期"]]
    for i in range(1, count + 1):
        rows.append(
            [
                str(i),
                doc.name(),
                doc.resident_id(),
                doc.mobile(),
                f"{rng.choice(VILLAGES)}{rng.randint(1, 9)}组{rng.randint(1, 80)}号",
                f"{rng.randrange(300, 3000)}.00",
                doc.bank_card() if rng.random() < 0.5 else "",
                f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            ]
        )
    return rows


def generate(out: Path, *, docs: int = 200, lists: int = 60, seed: int = 1) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    labels = []
    for n in range(docs):
        doc = Doc(rng)
        name = f"notice_{n:04d}.txt"
        (out / name).write_text(notice(doc, n), encoding="utf-8")
        labels += [{"file": name, "kind": k, "value": v} for k, v in doc.labels]
    for n in range(lists):
        doc = Doc(rng)
        rows = recipient_rows(doc, rng.randint(10, 120))
        kind = n % 4
        if kind == 0:
            name = f"list_{n:04d}.xlsx"
            import openpyxl

            book = openpyxl.Workbook()
            sheet = book.active
            assert sheet is not None
            for row in rows:
                sheet.append(row)
            book.save(out / name)
        elif kind == 3:  # a PDF-extracted table: cells joined by spaces on one line
            name = f"table_{n:04d}.txt"
            (out / name).write_text("\n".join(" ".join(c for c in r if c) for r in rows) + "\n", encoding="utf-8")
        else:
            name = f"list_{n:04d}.csv"
            buf = io.StringIO(newline="")
            csv.writer(buf, lineterminator="\r\n").writerows(rows)
            (out / name).write_bytes(buf.getvalue().encode("gb18030" if kind == 1 else "utf-8"))
        labels += [{"file": name, "kind": k, "value": v} for k, v in doc.labels]
    with (out / "labels.jsonl").open("w", encoding="utf-8") as fh:
        for item in labels:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    return {"files": docs + lists, "labels": len(labels)}


def main() -> None:
    parser = argparse.ArgumentParser(description="生成带标注的保密审查测试语料")
    parser.add_argument("out", type=Path, help="输出目录")
    parser.add_argument("--docs", type=int, default=200, help="通知类文档数")
    parser.add_argument("--lists", type=int, default=60, help="名单类文件数（XLSX、GBK/UTF-8 CSV、表格文本）")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(generate(args.out, docs=args.docs, lists=args.lists, seed=args.seed))


if __name__ == "__main__":
    main()
