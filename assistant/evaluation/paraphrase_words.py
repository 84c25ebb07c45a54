"""The wording of generated questions: templates, preambles, chat shorthand, absent measures.

Data only, like a language's stop-word list: the generator (``paraphrase.py``) fills the
templates with the tables' own names (labels and aliases) and values. Placeholders:
``{row}``, ``{column}``, ``{table}``, ``{year}``, and ``{a}``/``{b}`` for two rows.
No word here is the report's own: names come from the tables.
"""

from __future__ import annotations

# A cell of a table whose rows are things (regions, grades) and columns are measures.
CELL = {
    "en": {
        "count": (
            "How many {column} did {row} have in {year}?",
            "What was the number of {column} for {row}?",
        ),
        "other": (
            "What was the {column} for {row} in {year}?",
            "What was {row}'s {column}?",
        ),
    },
    "zh": {
        "count": ("{year}年{row}有多少{column}？", "{row}的{column}是多少？"),
        "other": ("{year}年{row}的{column}是多少？", "{row}的{column}是多少？"),
    },
}

# A cell of a table whose rows are themselves the measures (one "value" column).
INDICATOR = {
    "en": {
        "count": ("How many {row} were there in {year}?", "What was the number of {row}?"),
        "other": ("What was the {row} in {year}?", "What was the {row}?"),
    },
    "zh": {
        "count": ("{year}年{row}有多少？", "{row}是多少？"),
        "other": ("{year}年的{row}是多少？", "{row}是多少？"),
    },
}

# The same cells, asked with the table's name.
CELL_IN_TABLE = {
    "en": ("In the {table} table, what was the {column} for {row}?",),
    "zh": ("在{table}中，{row}的{column}是多少？",),
}
INDICATOR_IN_TABLE = {
    "en": ("According to the {table} table, what was the {row}?",),
    "zh": ("根据{table}，{row}是多少？",),
}

# The total row of a measure.
TOTAL = {
    "en": {
        "count": (
            "How many {column} were there in total in {year}?",
            "What was the total number of {column}?",
        ),
        "other": ("What was the overall {column} in {year}?",),
    },
    "zh": {
        "count": ("{year}年{column}总共有多少？", "{column}总数是多少？"),
        "other": ("{year}年总体{column}是多少？",),
    },
}

# Computed from two rows of one count column (or a row and the total).
DERIVED = {
    "share": {
        "en": ("What share of all {column} came from {row}?",),
        "zh": ("{row}的{column}占总数的百分之多少？",),
    },
    "difference": {
        "en": ("How many more {column} did {a} have than {b}?",),
        "zh": ("{a}的{column}比{b}多多少？",),
    },
    "ratio": {
        "en": ("How many times as many {column} did {a} have as {b}?",),
        "zh": ("{a}的{column}是{b}的几倍？",),
    },
    "sum": {
        "en": ("How many {column} did {a} and {b} have together?",),
        "zh": ("{a}和{b}的{column}加起来一共有多少？",),
    },
}

# A conversation: a lookup, then a follow-up naming only another row, then its share.
FOLLOW_UP = {
    "en": ("And {row}?", "What share of the total is that?"),
    "zh": ("那{row}呢？", "占总数的比例是多少？"),
}

# Questions about a measure no table holds; the generator keeps only those whose measure
# the report's text never mentions.
ABSENT_MEASURES = {
    "en": (
        "vacancy rate",
        "average salary",
        "staff turnover rate",
        "sick leave days",
        "overtime hours",
        "average age",
        "travel budget",
        "promotion rate",
        "number of complaints",
        "attrition rate",
    ),
    "zh": (
        "职位空缺率",
        "平均工资",
        "人员流失率",
        "病假天数",
        "加班时数",
        "平均年龄",
        "差旅预算",
        "晋升率",
        "投诉数量",
        "自然减员率",
    ),
}
REFUSAL = {
    "en": ("What was {row}'s {measure} in {year}?", "What was the {measure} in {year}?"),
    "zh": ("{year}年{row}的{measure}是多少？", "{year}年的{measure}是多少？"),
}

PREAMBLES = {
    "en": (
        "Could you tell me, for a note I am drafting, ",
        "I'm preparing a briefing and would like to know: ",
        "Sorry to bother you, but ",
        "Quick question for a report I'm writing: ",
    ),
    "zh": (
        "请问一下，我在准备一份简报，",
        "麻烦问一下，",
        "我在写一份说明，想了解一下：",
        "打扰了，请问",
    ),
}

# Chat shorthand for casual English questions (whole words).
SHORTHAND = {
    "people": "ppl",
    "year": "yr",
    "you": "u",
    "what was": "whats",
    "number": "no",
    "together": "tgt",
    "percentage": "pct",
}
# Casual Chinese: the question without punctuation, with a spoken ending.
CASUAL_ZH_ENDING = "啊"
