"""Actant start-of-day files written by a test: the desk's sample is for a contract that expired
before its own trading day (ZN Jun22 on 08/11/2022), so a test that needs an SOD that applies writes one."""

from __future__ import annotations

from pathlib import Path

HEADER = ("ACCOUNT,UNDERLYING,ASSET,RUN_DATE,PRODUCT_CODE,LONG_SHORT,PUT_CALL,STRIKE_PRICE,QUANTITY,EXPIRE_DATE,"
          "LOT_SIZE,PRICE_TODAY,IS_AMERICAN")


def actant_row(account: str, qty: str, price: str, *, side: str = "L", run: str = "08/11/2025",
               expire: str = "09/19/2025", underlying: str = "ZN") -> str:
    return f"{account},{underlying},{underlying},{run},FUTURE,{side},,,{qty},{expire},50.0,{price},"


def write_actant(path: Path, *rows: str) -> Path:
    """An Actant export of `rows`, with the blank lines Actant leaves at the end."""
    path.write_text("\n".join([HEADER, *rows, "", "", ""]))
    return path


def live_sample(path: Path, *, run: str = "08/11/2025", expire: str = "09/19/2025") -> Path:
    """The sample's two rows (73050502 long 1 ZN @ 111'280, and a zero-quantity row) on a trading day
    their contract is live: ZN Sep25 by default."""
    return write_actant(path, actant_row("73050502", "1.0", "111'280", run=run, expire=expire),
                        actant_row("73050502", "0.0", "110'080", run=run, expire=expire))
