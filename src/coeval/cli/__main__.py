"""``python -m coeval.cli``: the same as the ``coeval`` command."""

from . import main

raise SystemExit(main())
