"""How money and sizes read on the page, in one place."""

from __future__ import annotations

import math


def usd(value: float) -> str:
    """Dollars: cents above $1, four decimals above a cent, else three significant digits in plain decimals
    (people misread 6.09e-05)."""
    if value >= 1:
        return f"${value:,.2f}"
    if value >= 0.01 or value <= 0:
        return f"${value:.4f}"
    digits = 2 - math.floor(math.log10(value))
    return f"${value:.{digits}f}".rstrip("0")


def size(count: int | None) -> str:
    """A byte count in kB or MB (decimal, as file browsers show them); blank when unknown."""
    if not count:
        return ""
    return f"{count / 1_000_000:.1f} MB" if count >= 1_000_000 else f"{count / 1000:.0f} kB"
