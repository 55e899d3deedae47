"""The local SQLite store: fills that are never lost or doubled, the LIFO/FIFO books built on them,
SOD lots, poll cursors, TT reference data and the audit log.

Entry points (imported from their modules; this package imports nothing so the CLI starts fast):
- `store.Store.open(path)`: the one object that writes (ingest fills/corrections with a cursor, SOD,
  audit) and reads; `writer.StoreWriter` runs it on its own thread for the app (Futures back).
- `snapshot.take_snapshot(conn, contract)`: frozen fills + P&L per method for the window.
- `audit.audit(event, detail, who)`: one audit entry from anywhere (settings dialog, support commands).
See `fills.py` for how an execution is identified across the TT API and file exports.
"""
