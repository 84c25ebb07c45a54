"""Every interface string of the chat and the briefing note, in Chinese and English."""

from __future__ import annotations

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

# The switch shows each language in its own script.
LANGUAGE_CHOICES = [("中文", "zh"), ("English", "en")]

STRINGS: dict[str, dict[str, str]] = {
    # the page title when the report folder gives none (vocabulary.yaml ui.title)
    "app_title": {"zh": "报告问答助手", "en": "Report Q&A"},
    "interface_language": {"zh": "界面语言", "en": "Interface language"},
    "report_picker": {"zh": "所问报告", "en": "Report asked"},
    # the heading's introduction when the report folder gives none (vocabulary.yaml ui.intro)
    "intro": {
        "zh": "就《{title}》（{symbol}，{date}）提问，中英文均可。每个回答都附有出处和原文引文。",
        "en": "Ask about <em>{title}</em> ({symbol}, {date}) in Chinese or English. Every "
        "answer shows where it comes from, with the report's own words.",
    },
    "chat_label": {"zh": "对话", "en": "Conversation"},
    "chat_placeholder": {
        "zh": "**请提问**，或从下面的示例问题开始：",
        "en": "**Ask a question**, or start with one of these:",
    },
    "question_label": {"zh": "问题", "en": "Question"},
    "question_placeholder": {
        "zh": "用中文或英文提问，按回车发送",
        "en": "Ask in Chinese or English, press Enter to send",
    },
    "send": {"zh": "发送", "en": "Send"},
    "new_chat": {"zh": "新对话", "en": "New chat"},
    "examples": {"zh": "示例问题", "en": "Example questions"},
    "working": {"zh": "正在查阅报告……", "en": "Searching the report…"},
    "working_detail": {
        "zh": "正在检索相关段落和表格",
        "en": "Looking up the relevant paragraphs and tables",
    },
    "sources": {"zh": "出处", "en": "Sources"},
    "copy": {"zh": "复制回答", "en": "Copy answer"},
    "copied": {"zh": "已复制", "en": "Copied"},
    "figure": {"zh": "数字", "en": "Figure"},
    "value": {"zh": "数值", "en": "Value"},
    "unit": {"zh": "单位", "en": "Unit"},
    "formula": {"zh": "计算公式", "en": "Formula"},
    "source_rows": {"zh": "数据来源", "en": "Source rows"},
    "notes": {"zh": "说明", "en": "Notes"},
    "chart": {"zh": "图表", "en": "Chart"},
    "edition_zh": {"zh": "中文本", "en": "Chinese edition"},
    "edition_en": {"zh": "英文本（工作译文）", "en": "English text (working translation)"},
    "no_other_edition": {
        "zh": "（另一语文本中没有这一段。）",
        "en": "(The other edition has no text for this passage.)",
    },
    "feedback": {"zh": "反馈", "en": "Feedback"},
    "feedback_help": {
        "zh": "用回答下方的赞或踩按钮评价，或在此就所选回答留言（默认最新回答）。",
        "en": "Rate an answer with the thumbs under it, or leave a comment here "
        "on the answer chosen below (by default the latest).",
    },
    "comment": {"zh": "意见（可选）", "en": "Comment (optional)"},
    "comment_placeholder": {
        "zh": "例如：数字有误，应为……",
        "en": "For example: the figure should be …",
    },
    "send_feedback": {"zh": "提交意见", "en": "Send comment"},
    "thanks": {"zh": "谢谢，反馈已记录。", "en": "Thank you, your feedback was recorded."},
    "nothing_to_rate": {
        "zh": "请先提问，再对回答提出意见。",
        "en": "Ask a question first, then comment on its answer.",
    },
    "empty_comment": {"zh": "请先写下意见。", "en": "Please write a comment first."},
    "brief": {"zh": "导出简报", "en": "Briefing note"},
    "brief_help": {
        "zh": "将对话导出为可粘贴到文件中的简报（A4），包含问题、回答、数字表、图表和出处；"
        "取消勾选即可略去某个问答。",
        "en": "Export the conversation as a briefing note to paste into documents (A4): "
        "questions, answers, figure tables, charts and sources. Untick an answer to leave "
        "it out.",
    },
    "brief_turns": {"zh": "简报包含的问答", "en": "Answers in the note"},
    "comment_about": {"zh": "针对的回答", "en": "About the answer"},
    "clear_confirm": {
        "zh": "清空整个对话？此操作无法撤销。",
        "en": "Clear the whole conversation? This cannot be undone.",
    },
    "clear_yes": {"zh": "清空", "en": "Clear"},
    "clear_no": {"zh": "取消", "en": "Cancel"},
    "download_md": {"zh": "下载 Markdown", "en": "Download Markdown"},
    "download_docx": {"zh": "下载 Word", "en": "Download Word"},
    "nothing_to_export": {
        "zh": "还没有可导出的回答。",
        "en": "There is no answer to export yet.",
    },
    "error": {
        "zh": "抱歉，这个问题没有答成（{reason}）。请换个说法再试。",
        "en": "Sorry, that question could not be answered ({reason}). Please try rephrasing it.",
    },
    "internal_error": {"zh": "内部错误", "en": "an internal error"},
    "busy": {
        "zh": "目前提问的人较多，请稍后再试。",
        "en": "Many people are asking right now; please try again shortly.",
    },
    # the briefing note
    "brief_title": {"zh": "简报：{title}", "en": "Briefing note: {title}"},
    "brief_document": {"zh": "文件", "en": "Document"},
    "brief_date": {"zh": "日期", "en": "Date"},
    "brief_prepared": {"zh": "编制时间", "en": "Prepared"},
    "brief_question": {"zh": "问题", "en": "Question"},
    "brief_answer": {"zh": "回答", "en": "Answer"},
    "brief_figures": {"zh": "数字", "en": "Figures"},
    "brief_figure": {"zh": "数字", "en": "Figure"},
    "brief_source": {"zh": "出处", "en": "Source"},
    "brief_citations": {"zh": "出处", "en": "Sources"},
    "brief_not_in_report": {
        "zh": "（报告中没有相关内容。）",
        "en": "(The report does not cover this.)",
    },
}

UNIT_NAMES: dict[str, dict[str, str]] = {
    "count": {"zh": "数量", "en": "count"},
    "percent": {"zh": "百分比", "en": "percent"},
    "days": {"zh": "天", "en": "days"},
    "points": {"zh": "分", "en": "points"},
    "ratio": {"zh": "比率", "en": "ratio"},
    "score": {"zh": "得分", "en": "score"},
}


def normalise(language: str | None) -> str:
    """A supported interface language: 'zh' or 'en' (anything else falls back to Chinese)."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, language: str | None, **values: object) -> str:
    """The interface string ``key`` in ``language``, with ``{placeholders}`` filled in."""
    text = STRINGS[key][normalise(language)]
    return text.format(**values) if values else text


def unit_name(unit: str, language: str | None) -> str:
    """A figure's unit as a reader would say it."""
    names = UNIT_NAMES.get(unit)
    return names[normalise(language)] if names else unit


def edition_name(edition: str, language: str | None) -> str:
    """'Chinese edition' / 'English text (working translation)', in ``language``."""
    key = f"edition_{edition}"
    return t(key, language) if key in STRINGS else edition
