"""The TT REST API 2.0 client (read-only) and, in `tt.sim`, the simulator that speaks the same HTTP.

Entry points (import the modules; this package imports nothing at start-up):
- `connection.TTConnection`: where and as whom to connect (frozen; the secret never in repr).
- `client.TTClient`: `orders()`, `fills_since(cursor)`, `positions()`, `sod(account)`, `instrument(id)`,
  `markets()`, `user(id)`, `order_data()`, `budget.usage()`, `close()`. Thread-safe, shared by workers.
- `fills_cursor.FillCursor`: the incremental fills cursor the store persists (`to_dict`/`from_dict`).
- `budget`: usage plans and the request budget; `schedule`: default polling intervals per plan.
- `doctor.run_checks(conn)`: the connection checks behind `zn-ladder doctor` and "Test connection".
- `errors`: `TTRequestError` (endpoint, HTTP status), `TTAuthError`, `TTBodyError`, `TTBudgetError`.
"""
