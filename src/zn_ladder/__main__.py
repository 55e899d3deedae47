"""`python -m zn_ladder` is the same as the `zn-ladder` command."""

from zn_ladder.cli import main

raise SystemExit(main())
