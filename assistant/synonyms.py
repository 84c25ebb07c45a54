"""Words that mean the same in a question and in the report (general vocabulary).

Each group is read as its first word, so "涵盖" in a question meets "涉及" in the text;
a group's first word is one the tokenizer produces from the report's own text.
"""

from __future__ import annotations

GROUPS: tuple[tuple[str, ...], ...] = (
    # Chinese
    ("涉及", "涵盖", "覆盖", "包括", "包含"),
    ("期间", "时间", "时期", "时段", "期限"),
    ("编拟", "编写", "起草", "撰写", "编制", "准备"),
    ("原文", "原始语言", "原版"),
    ("日期", "哪天", "发布日期"),
    ("举行", "召开", "开会"),
    ("选定", "录用", "录取", "选中", "获选", "聘用"),
    ("候选", "入围", "短名单"),
    ("申请者", "申请人", "求职者", "应聘者"),
    ("工作人员", "员工", "职员", "雇员"),
    ("推出", "启动", "上线", "发布"),
    ("目的", "目标", "宗旨"),
    ("要求", "需要", "需求"),
    ("支柱", "支柱性"),
    # English
    ("staff", "employe", "personnel", "workforc"),
    ("select", "hire", "recruit", "appoint"),
    ("shortlist", "short-list"),
    ("vacanc", "open", "post", "job"),
    ("launch", "roll", "introduc", "start"),
    ("cover", "concern", "span"),
    ("period", "time", "timefram"),
    ("prepar", "draft", "author", "write", "wrote"),
    ("meet", "session", "conven"),
    ("protect", "safeguard"),
    ("extern", "outsid", "outsider"),
    ("respond", "answer", "repli", "respons"),
    ("focus", "concentr", "emphas"),
    ("intern", "insid", "insider"),
    ("consult", "consultat"),
)

# ordinals read as the numbers that number the report's parts ("the second pillar" is
# "Pillar 2", "第三支柱" is "支柱3")
ORDINALS: dict[str, str] = {
    **{w: str(i) for i, w in enumerate("first second third fourth fifth sixth".split(), 1)},
    **{f"第{w}": str(i) for i, w in enumerate("一二三四五六", 1)},
}

CANONICAL: dict[str, str] = {word: group[0] for group in GROUPS for word in group} | ORDINALS
