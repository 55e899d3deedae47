"""What the bundled `zn-ladder` executables run: the same `zn_ladder.cli:main` as the pip entry point.

With no command it opens the window; with one (`selftest`, `price`, `doctor`...) it runs headless, so
support staff can use the installed .exe from a console. `freeze_support` keeps a frozen Windows
process from re-running main() should any library start a multiprocessing child.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from zn_ladder.cli import main

    sys.exit(main())
