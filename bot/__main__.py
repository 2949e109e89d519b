# `python -m bot` is the `briefbot` command, whose home (the composition root) is adapters/cli.py.
from adapters.cli import main

raise SystemExit(main())
