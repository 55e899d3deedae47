"""How a position that differs from TT's reads on screen: a red banner line per account and contract,
and the tooltip of the marker on the summary strip's POSITION card.

TT_API.md: the app's position must equal TT's `netPosition`, and a difference is shown to the trader,
not hidden. The lines name the account, the contract and both positions, so a trader can call the desk
or check TT's screens without opening anything else; the check time says the comparison is current.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from zn_ladder.domain.reconcile import PositionDifference

#: Why a difference can take a while to appear (and why a brief one is not shown).
LAG_NOTE = ("Shown only when the difference lasts over two consecutive TT position polls: TT's ledger and "
            "monitor show fills with a delay, so a one-off difference is usually lag.")


def lots(qty: int) -> str:
    return f"{qty:+d}" if qty else "0"


def checked_text(at: datetime | None) -> str:
    return f" (checked {at.astimezone().strftime('%H:%M:%S')})" if at is not None else ""


def difference_line(diff: PositionDifference, checked_at: datetime | None) -> str:
    """`Position differs from TT: 1334000 ZN Dec26 app +3, TT +5 (checked 14:02:11)`."""
    return (f"Position differs from TT: {diff.account} {diff.contract} app {lots(diff.app)}, "
            f"TT {lots(diff.tt)}{checked_text(checked_at)}")


def difference_lines(diffs: Sequence[PositionDifference], checked_at: datetime | None) -> list[str]:
    return [difference_line(d, checked_at) for d in diffs]


def position_tooltip(diffs: Sequence[PositionDifference], checked_at: datetime | None) -> str:
    """The POSITION card marker's tooltip: every difference, what each side counts, and the lag rule."""
    if not diffs:
        return ""
    rows = [f"{d.account} {d.contract}: app {lots(d.app)}, TT {lots(d.tt)} (difference {lots(d.gap)} lots)"
            for d in diffs]
    return ("Position differs from TT's netPosition" + checked_text(checked_at) + ":\n" + "\n".join(rows)
            + "\nThe app's position is the start of day plus today's fills in the local store.\n" + LAG_NOTE)
