"""Templates -> definitions with readable placeholders, from hand-written templates (no synth)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from constructs_sfn.testing import PlaceholderError, SynthesizedApp, TemplateError
from constructs_sfn.testing.placeholders import TokenResolver

FN_ARN = "arn:aws:lambda:us-east-1:123456789012:function:<Orders/ChargeFn>"


def _template(definition: Any, *, extra: dict[str, Any] | None = None, **properties: Any) -> dict[str, Any]:
    resources: dict[str, Any] = {
        "ChargeFn93DD6C82": {"Type": "AWS::Lambda::Function", "Metadata": {"aws:cdk:path": "Orders/ChargeFn/Resource"}},
        "InboxQ1A2B3C4D": {"Type": "AWS::SQS::Queue", "Metadata": {"aws:cdk:path": "Orders/Inbox/Resource"}},
        "NoticesT0F1E2D3": {"Type": "AWS::SNS::Topic", "Metadata": {"aws:cdk:path": "Orders/Notices/Resource"}},
        "TableABCD1234": {"Type": "AWS::DynamoDB::Table"},
        "Machine6FC8AE80": {
            "Type": "AWS::StepFunctions::StateMachine",
            "Metadata": {"aws:cdk:path": "Orders/Checkout/StateMachine/Resource"},
            "Properties": {"DefinitionString": definition, **properties},
        },
    }
    resources.update(extra or {})
    return {"Resources": resources}


def _write(tmp_path: Path, template: dict[str, Any]) -> Path:
    path = tmp_path / "Orders.template.json"
    path.write_text(json.dumps(template), encoding="utf-8")
    return path


def _join(*parts: Any) -> dict[str, Any]:
    return {"Fn::Join": ["", list(parts)]}


def test_cdk_join_becomes_readable_typed_placeholders(tmp_path: Path) -> None:
    definition = _join(
        '{"StartAt":"Charge","States":{"Charge":{"Type":"Task","Resource":"arn:',
        {"Ref": "AWS::Partition"},
        ':states:::lambda:invoke","Parameters":{"FunctionName":"',
        {"Fn::GetAtt": ["ChargeFn93DD6C82", "Arn"]},
        '"},"Next":"Send"},"Send":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Parameters":{"QueueUrl":"',
        {"Ref": "InboxQ1A2B3C4D"},
        '","MessageBody":"x"},"Next":"Tell"},"Tell":{"Type":"Task","Resource":"arn:aws:states:::sns:publish",'
        '"Parameters":{"TopicArn":"',
        {"Ref": "NoticesT0F1E2D3"},
        '","Message":"m"},"Next":"Save"},"Save":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem",'
        '"Parameters":{"TableName":"',
        {"Ref": "TableABCD1234"},
        '","Item":{}},"End":true}}}',
    )
    machine = SynthesizedApp.from_template(_write(tmp_path, _template(definition))).state_machine("Orders/Checkout")
    states = machine.definition["States"]
    assert states["Charge"]["Resource"] == "arn:aws:states:::lambda:invoke"
    assert states["Charge"]["Parameters"]["FunctionName"] == FN_ARN
    assert states["Send"]["Parameters"]["QueueUrl"] == "https://sqs.us-east-1.amazonaws.com/123456789012/<Orders/Inbox>"
    assert states["Tell"]["Parameters"]["TopicArn"] == "arn:aws:sns:us-east-1:123456789012:<Orders/Notices>"
    # No construct path in the template: the logical id names it.
    assert states["Save"]["Parameters"]["TableName"] == "<TableABCD1234>"
    placeholder = machine.placeholders[FN_ARN]
    assert (placeholder.logical_id, placeholder.resource_type, placeholder.attribute) == (
        "ChargeFn93DD6C82",
        "AWS::Lambda::Function",
        "Arn",
    )
    assert placeholder.construct_path == "Orders/ChargeFn/Resource"
    assert machine.placeholder("Orders/Inbox", "Arn") == "arn:aws:sqs:us-east-1:123456789012:<Orders/Inbox>"
    assert machine.placeholder("ChargeFn93DD6C82", "Ref") == "<Orders/ChargeFn>"


def test_machine_is_found_by_path_parent_path_logical_id_or_suffix(tmp_path: Path) -> None:
    synth = SynthesizedApp.from_template(
        _write(tmp_path, _template('{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}'))
    )
    keys = ["Orders/Checkout", "Orders/Checkout/StateMachine", "Machine6FC8AE80", "Checkout", "/Orders/Checkout/"]
    assert {synth.state_machine(key).logical_id for key in keys} == {"Machine6FC8AE80"}
    assert synth.state_machine("Checkout").name == "Orders/Checkout"
    with pytest.raises(TemplateError, match=r"no state machine 'Nope'.*'Orders/Checkout'"):
        synth.state_machine("Nope")


def test_definition_substitutions_and_sub_are_resolved(tmp_path: Path) -> None:
    definition = {
        "Fn::Sub": [
            (
                '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"${Fn}","Next":"B"},'
                '"B":{"Type":"Task","Resource":"arn:${AWS::Partition}:states:::sqs:sendMessage",'
                '"Parameters":{"QueueUrl":"${InboxQ1A2B3C4D}","MessageBody":"${!Literal}"},"End":true}}}'
            ),
            {"Fn": {"Fn::GetAtt": ["ChargeFn93DD6C82", "Arn"]}},
        ]
    }
    machine = SynthesizedApp.from_template(_write(tmp_path, _template(definition))).state_machine("Checkout")
    assert machine.definition["States"]["A"]["Resource"] == FN_ARN
    params = machine.definition["States"]["B"]["Parameters"]
    assert params == {
        "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/<Orders/Inbox>",
        "MessageBody": "${Literal}",
    }

    substituted = _template(
        '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"${charge}","End":true}}}',
        DefinitionSubstitutions={"charge": {"Fn::GetAtt": ["ChargeFn93DD6C82", "Arn"]}},
    )
    machine = SynthesizedApp.from_template(_write(tmp_path, substituted)).state_machine("Checkout")
    assert machine.definition["States"]["A"]["Resource"] == FN_ARN


def test_definition_from_s3_location_reads_the_file_asset(tmp_path: Path) -> None:
    digest = "a" * 64
    (tmp_path / f"asset.{digest}.json").write_text(
        '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"${fn}","End":true}}}', encoding="utf-8"
    )
    template = _template(None)
    properties = template["Resources"]["Machine6FC8AE80"]["Properties"]
    del properties["DefinitionString"]
    properties["DefinitionS3Location"] = {
        "Bucket": {"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"},
        "Key": f"{digest}.json",
    }
    properties["DefinitionSubstitutions"] = {"fn": {"Fn::GetAtt": ["ChargeFn93DD6C82", "Arn"]}}
    machine = SynthesizedApp.from_template(_write(tmp_path, template)).state_machine("Checkout")
    assert machine.definition["States"]["A"]["Resource"] == FN_ARN


def test_select_split_and_unknown_tokens() -> None:
    resolver = TokenResolver({"Q": {"Type": "AWS::SQS::Queue"}}, paths={"Q": "S/Q/Resource"})
    arn = {"Fn::GetAtt": ["Q", "Arn"]}
    assert resolver.resolve({"Fn::Select": [5, {"Fn::Split": [":", arn]}]}) == "<S/Q>"
    assert resolver.resolve({"Fn::GetAtt": ["Q", "Oddity"]}) == "<S/Q.Oddity>"
    assert resolver.resolve({"Fn::If": ["C", "a", "b"]}).startswith("<token:")
    with pytest.raises(PlaceholderError, match="Fn::Select index 9 is out of range"):
        resolver.resolve({"Fn::Select": [9, {"Fn::Split": [":", arn]}]}, where="/x")


def test_broken_templates_name_the_file_and_pointer(tmp_path: Path) -> None:
    bad = tmp_path / "Bad.template.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"Bad\.template\.json: not JSON \(line 1"):
        SynthesizedApp.from_template(bad)
    path = _write(tmp_path, _template(_join('{"StartAt": ', {"Ref": "InboxQ1A2B3C4D"}, "}")))
    with pytest.raises(TemplateError, match=r"/Resources/Machine6FC8AE80/Properties/DefinitionString: not JSON"):
        _ = SynthesizedApp.from_template(path).state_machines
