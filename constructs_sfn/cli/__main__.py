"""``python -m constructs_sfn.cli``."""

from __future__ import annotations

import sys

from constructs_sfn.cli.main import main

sys.exit(main())
