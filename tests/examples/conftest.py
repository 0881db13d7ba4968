"""Example-app test setup: a jsii runtime on the pinned Node 22 before aws_cdk loads."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# jsii starts a Node.js process on first use; point it at the pinned Node 22 (as scripts/env.sh
# does) so plain `pytest` works outside `make`.
_NODE = REPO / "node_modules" / ".bin" / "node"
if "JSII_NODE" not in os.environ and _NODE.exists():
    os.environ["JSII_NODE"] = str(_NODE)
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
