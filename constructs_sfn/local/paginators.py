"""``client.get_paginator(...)`` for the local client, using botocore's own Paginator.

boto3 paginators drive the list operations through ``nextToken``/``maxResults`` and accept
``PaginationConfig`` (``MaxItems``, ``PageSize``, ``StartingToken``); reusing botocore's class over
the local client's methods gives exactly that behaviour, ``build_full_result()`` and ``search()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from constructs_sfn.local.service_model import operation_model, pagination_configs

if TYPE_CHECKING:
    from botocore.paginate import Paginator

__all__ = ["can_paginate", "paginator"]


def _operation_name(python_name: str, methods: Callable[[str], Any]) -> str | None:
    from botocore import xform_name

    for operation in pagination_configs():
        if xform_name(operation) == python_name and methods(python_name) is not None:
            return operation
    return None


def can_paginate(client: Any, python_name: str) -> bool:
    """Whether ``client.get_paginator(python_name)`` exists (as boto3's ``can_paginate``)."""
    return _operation_name(python_name, lambda name: getattr(client, name, None)) is not None


def paginator(client: Any, python_name: str) -> Paginator[Any]:
    """A botocore ``Paginator`` over ``client``'s method ``python_name``."""
    from botocore.exceptions import OperationNotPageableError
    from botocore.paginate import Paginator

    operation = _operation_name(python_name, lambda name: getattr(client, name, None))
    if operation is None:
        raise OperationNotPageableError(operation_name=python_name)
    return Paginator(getattr(client, python_name), pagination_configs()[operation], operation_model(operation))
