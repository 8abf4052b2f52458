"""Checks on a cleaned Article that several test files make."""
from __future__ import annotations

from dotterel.model import Article


def check_offsets(a: Article) -> None:
    """The offsets map every cleaned character to a raw one, in order."""
    assert len(a.offsets) == len(a.clean)
    assert all(0 <= o < len(a.text) for o in a.offsets)
    assert all(x <= y for x, y in zip(a.offsets, a.offsets[1:]))


def squash(s: str) -> str:
    """``s`` without any whitespace."""
    return "".join(s.split())
