"""`zn-ladder import FILE... [--db PATH] [--kind K] [--json]`: files a desk hands us, into the store.

Idempotent: every execution is stored once (see `zn_ladder.store.fills`), so importing the same file
again adds nothing and says so. All files are read (and refused, exit 2, if one is not what it
claims) before anything is written, so a bad file never leaves half an import behind. TT fills JSON
names instruments by id: the store's reference data (cached by `monitor`) or `--contract` names them.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from zn_ladder.cli.output import print_json, print_table

ORDER = 50


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="import fill, Audit Trail, Fills-widget, TT JSON or Actant SOD files into the store",
                       description="Store the fills (or SOD lots) of each FILE in the local store. Each execution "
                                   "is stored once: importing a file again adds nothing.")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--db", metavar="PATH|URL", help="the store: a SQLite file or a desk database "
                                                      "postgresql://user@host/db (default: the app's store)")
    p.add_argument("--kind", help="file kind of every FILE instead of detecting it (fill_monitor, audit_trail, "
                                  "fills_widget, tt_fills, tt_orders, actant_sod)")
    p.add_argument("--contract", help='TT JSON names an instrument id, not a contract: the contract of records whose '
                                      'instrument the store does not know yet (e.g. "ZN Dec26")')
    p.add_argument("--market", help="store only the fills on this market (e.g. CME); the others are counted as skipped")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from zn_ladder.importers.detect import read_file
    from zn_ladder.importers.gc_pause import gc_paused
    from zn_ladder.store.store import Store

    from zn_ladder.store.backend import locate

    db_path = locate(args.db) if args.db else _default_db_path()
    with gc_paused():
        # Every file is read (and a bad one refused) before the store is opened for writing: a refused
        # import neither creates a store nor changes one.
        instruments = _known_instruments(db_path)
        results = [read_file(path, args.kind, instruments=instruments, default_contract=args.contract)
                   for path in args.files]
        if args.market:
            results = [_on_market(result, args.market) for result in results]
        with Store.open(db_path) as store:
            rows: list[dict[str, Any]] = [_store_one(store, path, result)
                                          for path, result in zip(args.files, results)]
    if args.json:
        print_json({"files": rows})
    else:
        _print_text(rows, store.path)
    return 0


def _on_market(result, market: str):
    """The result with only the fills (and SOD lots) on `market`; the others counted as skipped."""
    from dataclasses import replace

    from zn_ladder.domain.instruments import canonical_market
    from zn_ladder.importers.result import ImportWarning

    market = canonical_market(market)
    fills = tuple(f for f in result.fills if f.market == market)
    sod = tuple(lot for lot in result.sod if lot.market == market)
    left = len(result.fills) - len(fills) + len(result.sod) - len(sod)
    if not left:
        return result
    notes = tuple(ImportWarning(0, f"{type(r).__name__.lower()} {getattr(r, 'key', r.contract)} on market {r.market}, "
                                   f"not {market}: not imported (--market)")
                  for r in (*result.fills, *result.sod) if r.market != market)
    return replace(result, fills=fills, sod=sod, warnings=(*result.warnings, *notes))


def _default_db_path() -> Path:
    from zn_ladder.config.paths import default_db_path

    return Path(default_db_path())


def _known_instruments(db_path: Any) -> dict[str, str]:
    """Instrument id -> contract from the store's TT reference data (what `monitor` has seen), read
    without writing; none when there is no store yet."""
    from zn_ladder.store.db import open_existing, translated
    from zn_ladder.store.refdata import all_refdata

    conn = open_existing(db_path)
    if conn is None:
        return {}
    try:
        with translated(db_path, "read instruments"):
            stored = all_refdata(conn, "instrument")
    finally:
        conn.close()
    return {ident: str(value["alias"]) for ident, value in stored.items()
            if isinstance(value, dict) and value.get("alias")}


def _store_one(store, path: str, result) -> dict[str, Any]:
    kind = result.kind.value
    warnings = [str(w) for w in result.warnings]
    detail = {"file": str(Path(path).resolve()), "kind": kind, "rows": result.rows}
    added = duplicate = skipped = 0
    if result.fills or result.corrections:
        out = store.ingest(result.fills, result.corrections, source=kind, audit_detail=detail)
        added, duplicate, skipped = out.added, out.duplicate, out.skipped
        warnings.extend(out.warnings)
        if result.corrections:
            pending = len(result.corrections) - out.corrections_duplicate - out.corrections_applied
            warnings.append(f"{len(result.corrections)} busts/corrections: {out.corrections_added} new, "
                            f"{out.corrections_applied} applied, {max(pending, 0)} waiting for their fill")
    elif result.sod:
        from zn_ladder.cli.inputs import account_map
        from zn_ladder.domain.sod_accounts import map_sod_accounts

        out = store.put_sod(map_sod_accounts(result.sod, account_map()), source=kind, audit_detail=detail)
        added, duplicate = out.added, out.duplicate
        if out.replaced:
            warnings.append(f"{out.replaced} SOD lots of the same date replaced")
    elif result.orders:
        warnings.append(f"{len(result.orders)} working orders are not stored (the ladder reads them live): "
                        "nothing imported")
    return {"path": path, "kind": kind, "added": added, "duplicate": duplicate,
            "skipped": skipped + result.skipped, "warnings": warnings}


def _print_text(rows: list[dict[str, Any]], db_path: Any) -> None:
    print_table(["file", "kind", "added", "duplicate", "skipped"],
                [(Path(r["path"]).name, r["kind"], r["added"], r["duplicate"], r["skipped"]) for r in rows])
    for r in rows:
        if not r["added"] and r["duplicate"]:
            print(f"{Path(r['path']).name}: nothing new, all {r['duplicate']} were already in the store")
        for line in r["warnings"][:20]:
            print(f"warning: {Path(r['path']).name}: {line}")
        if len(r["warnings"]) > 20:
            print(f"... and {len(r['warnings']) - 20} more warnings (--json lists them all)")
    print(f"store: {db_path}")
