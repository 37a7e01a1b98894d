"""Sections 一, 五 and 六 pre-filled with the year's facts, for the office to edit (spec §2.1)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from gongkai import rules

from . import spec

RESULT_GROUPS = (
    ("granted", "予以公开"),
    ("partly_granted", "部分公开"),
    ("withheld", "不予公开"),
    ("unable", "无法提供"),
    ("not_processed", "不予处理"),
    ("other", "其他处理"),
)


def _list(items: list[str]) -> str:
    return "、".join(items)


def section_1(data: dict[str, Any], facts: dict[str, Any], unit_name: str) -> str:
    year = data["year"]
    e = data["entries"]
    paras: list[str] = []
    # （一）主动公开
    text = f"（一）主动公开。{year}年，{unit_name}在政府信息公开平台主动公开政府信息{e['total']}条"
    if e["by_category"]:
        parts = [f"{c['category']}{c['count']}条、占总数的{c['percent']}%" for c in e["by_category"][:6]]
        text += "，其中" + "，".join(parts)
    text += "。"
    if e["total"]:
        peak = max(range(12), key=lambda i: e["by_month"][i])
        text += f"按月份看，{peak + 1}月公开最多（{e['by_month'][peak]}条）。"
        t = e["timeliness"]
        limit = rules.get("publication").text  # Art. 26
        text += f"从信息生成到上网公开平均需要{t['avg_workdays']}个工作日，最长需要{t['max_workdays']}个工作日"
        text += f"，其中{t['over_limit']}条超过法定{limit}时限。" if t["over_limit"] else f"，均在法定{limit}内公开。"
        if t.get("changes"):  # Art. 26: counted again from the day the information changed
            late = t.get("changes_over_limit") or 0
            text += f"信息变更后更新公开{t['changes']}次，" + (
                f"其中{late}次超过自变更之日起{limit}的时限。" if late else f"均在变更之日起{limit}内公开。"
            )
    history = e["history"]
    if len(history) >= 2 and any(h["count"] for h in history):
        text += "近年公开数量分别为：" + _list([f"{h['year']}年{h['count']}条" for h in history])
        diff = history[-1]["count"] - history[-2]["count"]
        change = f"比上年增加{diff}条" if diff > 0 else f"比上年减少{-diff}条" if diff < 0 else "与上年持平"
        text += f"，本年{change}。"
    paras.append(text)

    # （二）依申请公开
    apps = data["applications"]
    total = apps["columns"].index("total")
    rows = apps["rows"]
    channels = [f"{label}{apps['by_channel'][k]}件" for k, label in spec.CHANNELS if apps["by_channel"][k]]
    text = f"（二）依申请公开。全年新收政府信息公开申请{rows['new'][total]}件"
    if channels:
        text += "（" + _list(channels) + "）"
    text += f"，上年结转{rows['carried_in'][total]}件；办结{rows['total_handled'][total]}件"
    results = []
    for prefix, label in RESULT_GROUPS:
        n = sum(rows[k][total] for k in spec.result_keys() if k.split(".")[0] == prefix)
        if n:
            results.append(f"{label}{n}件")
    if results:
        text += "，其中" + _list(results)
    text += f"；结转下年度继续办理{rows['carried_over'][total]}件。"
    if facts.get("replied_cases"):
        text += (
            f"从收到申请到作出答复平均{facts['reply_avg_workdays']}个工作日，"
            f"最长{facts['reply_max_workdays']}个工作日。"
        )
    if facts.get("promoted"):  # Art. 44
        text += f"根据申请情况将{facts['promoted']}条依申请公开的政府信息转为主动公开。"
    paras.append(text)

    # （三）政府信息管理
    p = data["proactive"]["normative_documents"]
    paras.append(
        f"（三）政府信息管理。本年制发行政规范性文件{p['issued']}件，废止{p['repealed']}件，"
        f"现行有效{p['in_force']}件；已公开信息均按规定标注索引号、成文日期和有效性。"
    )
    channels = facts.get("channels_summary", "")
    paras.append(
        f"（四）政府信息公开平台建设。{channels}（请填写本年度公开平台、公开栏、政务新媒体等渠道的建设和使用情况。）"
    )
    appeals = data["appeals"]
    reviews = appeals["reconsideration"]["total"]
    suits = appeals["litigation_direct"]["total"] + appeals["litigation_after_reconsideration"]["total"]
    paras.append(
        f"（五）监督保障。本年度因政府信息公开引起行政复议{reviews}件、行政诉讼{suits}件。"
        "（请补充工作考核、社会评议和责任追究结果。）"
    )
    return "\n".join(paras)


def section_5(data: dict[str, Any]) -> str:
    t = data["entries"]["timeliness"]
    lines = []
    if t["over_limit"]:
        lines.append(
            f"本年度有{t['over_limit']}条信息从生成到公开超过法定{rules.get('publication').text}，公开时效有待提高。"
            "下一步将加强发布前的时限提醒。"
        )
    lines.append("（请填写存在的主要问题及改进情况。）")
    return "\n".join(lines)


def section_6(data: dict[str, Any], facts: dict[str, Any]) -> str:
    fees = Decimal(facts.get("fees_yuan") or 0)
    if fees:
        text = f"本年度依据《政府信息公开信息处理费管理办法》收取信息处理费{fees:.2f}元（{facts['fee_cases']}件）。"
    else:
        text = "本年度未收取信息处理费。"
    return text + "\n（请填写落实上级年度政务公开工作要点、人大代表建议和政协提案办理结果公开等情况。）"


#: The prompts the defaults leave for the office to replace: （请填写…） and （请补充…）.
PROMPT = re.compile(r"（请(?:填写|补充)[^）]*）")


def unfilled(text: str) -> list[str]:
    """The prompts still in ``text``; a report is not submitted while any is left."""
    return PROMPT.findall(text or "")


def defaults(data: dict[str, Any], facts: dict[str, Any], unit_name: str) -> dict[str, str]:
    return {
        "section_1": section_1(data, facts, unit_name),
        "section_5": section_5(data),
        "section_6": section_6(data, facts),
    }
