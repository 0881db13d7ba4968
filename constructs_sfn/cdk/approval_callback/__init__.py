"""The callback Lambda function of ApprovalWorkflow, shipped as an asset with the package.

``handler.py`` is deployed on its own (it imports only the standard library and, lazily, boto3),
so it must never import from ``constructs_sfn``. In-process, import
``constructs_sfn.cdk.approval_callback.handler`` and build a :class:`~.handler.CallbackHandler`
with an injected Step Functions client and DynamoDB client.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["ASSET_DIRECTORY", "HANDLER"]

#: The directory packaged as the function's code asset.
ASSET_DIRECTORY = Path(__file__).resolve().parent
#: The Lambda handler setting (module ``handler``, function ``handler``).
HANDLER = "handler.handler"
