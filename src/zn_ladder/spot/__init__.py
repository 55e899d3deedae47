"""Spot-price sources (DESIGN.md §2, issue 8): Pricing Monkey through Playwright, manual entry, last good.

- `snapshot.SpotSnapshot`: a spot, its source ("pricing_monkey" | "manual" | "last_good" | "simulator"), raw text, time.
- `pricing_monkey.PricingMonkeyReader` + `ReaderSettings`: the browser reader (one owner thread).
- `service.SpotReaderThread`: that reader on its own thread; thread-safe, answers with Futures.
- `board.SpotBoard`: which spot is live (typed, live read, or last good with its age and error).
- `sanity.SpotSanity`, `browser.BrowserSettings`, `errors` (every failure is a `SpotError`).
No Qt here; the Qt worker in `workers/` wraps `SpotReaderThread`.
"""
