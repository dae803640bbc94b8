"""``python -m tools.generate --count N --output DIR``."""

from . import main

raise SystemExit(main())
