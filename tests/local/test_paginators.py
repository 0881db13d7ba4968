"""boto3-style paginators over the local client."""

from __future__ import annotations

import pytest
from botocore.exceptions import OperationNotPageableError

from constructs_sfn.local import LocalStepFunctions

from .helpers import create


def test_list_executions_pages(sfn: LocalStepFunctions) -> None:
    arn = create(sfn)
    for index in range(5):
        sfn.start_execution(stateMachineArn=arn, name=f"e{index}")
    paginator = sfn.get_paginator("list_executions")
    pages = list(paginator.paginate(stateMachineArn=arn, PaginationConfig={"PageSize": 2}))
    assert [len(page["executions"]) for page in pages] == [2, 2, 1]
    full = paginator.paginate(stateMachineArn=arn, PaginationConfig={"MaxItems": 3}).build_full_result()
    assert [item["name"] for item in full["executions"]] == ["e4", "e3", "e2"]
    assert "NextToken" in full


def test_history_paginator(sfn: LocalStepFunctions) -> None:
    execution = sfn.start_execution(stateMachineArn=create(sfn))["executionArn"]
    events = sfn.get_paginator("get_execution_history").paginate(
        executionArn=execution, reverseOrder=True, PaginationConfig={"PageSize": 1}
    )
    assert [event["id"] for event in events.search("events[]")] == [4, 3, 2, 1]


def test_which_operations_page(sfn: LocalStepFunctions) -> None:
    assert sfn.can_paginate("list_state_machines")
    assert sfn.can_paginate("list_activities")
    assert not sfn.can_paginate("describe_execution")
    assert sfn.can_paginate("list_map_runs")  # botocore pages ListMapRuns, and the client has it
    with pytest.raises(OperationNotPageableError):
        sfn.get_paginator("describe_execution")
