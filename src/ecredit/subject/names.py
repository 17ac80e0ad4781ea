"""Pinyin forms of Chinese names for search by pinyin and by initials (pypinyin)."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def full_pinyin(name: str) -> str:
    """杭州某某科技 → hangzhoumoumoukeji (lower case, no separators)."""
    return "".join(lazy_pinyin(name, errors="default")).lower().replace(" ", "")


def initials(name: str) -> str:
    """杭州某某科技 → hzmmkj; letters and digits in the name are kept as they are."""
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")).lower()


def looks_like_pinyin(text: str) -> bool:
    return text.isascii() and text.replace(" ", "").isalpha()
