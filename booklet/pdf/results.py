"""One check's result, as every preflight check reports it (and the manifest records it)."""

from __future__ import annotations

from dataclasses import dataclass

PASS, FAIL, WARN = "pass", "fail", "warn"


@dataclass
class Check:
    check: str
    status: str
    detail: str = ""
    page: int | None = None  # 1-based, where the problem is

    @property
    def ok(self) -> bool:
        return self.status != FAIL
