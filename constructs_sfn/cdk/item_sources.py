"""Where a DistributedMapJob reads its items: the ItemReader of a Distributed Map over S3.

``ItemSource`` is an enum-like class: pick a factory (:meth:`ItemSource.list_objects`,
:meth:`~ItemSource.json_array`, :meth:`~ItemSource.json_lines`, :meth:`~ItemSource.csv`,
:meth:`~ItemSource.inventory_manifest`). Each source renders its own ``ItemReader`` and the
narrowest IAM statements that let Step Functions read it (one object, or one prefix), instead of
the whole-bucket grants CDK's item readers add.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import Aws, Token
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_stepfunctions as sfn

from constructs_sfn.cdk.validation import PropsValidator

__all__ = ["ItemSource", "ItemSourceKind"]

# Bucket-level actions are granted on the bucket ARN; object actions on object ARNs.
_LIST_BUCKET = "s3:ListBucket"
_GET_OBJECT = "s3:GetObject"


class ItemSourceKind:
    """The kinds of item source (the ``InputType`` Step Functions reads), as plain strings."""

    LIST_OBJECTS = "LIST_OBJECTS"
    JSON = "JSON"
    JSONL = "JSONL"
    CSV = "CSV"
    MANIFEST = "MANIFEST"


class ItemSource:
    """The dataset a Distributed Map iterates over, in S3. Use a static factory; the constructor is private."""

    def __init__(
        self,
        kind: str,
        bucket: s3.IBucket,
        *,
        key: str | None = None,
        prefix: str | None = None,
        reader_config: Mapping[str, Any] | None = None,
        max_items: int | None = None,
        data_prefix: str | None = None,
    ) -> None:
        self._kind = kind
        self._bucket = bucket
        self._key = key
        self._prefix = prefix
        self._reader_config = dict(reader_config or {})
        self._max_items = max_items
        self._data_prefix = data_prefix

    # --- factories -------------------------------------------------------------------------

    @staticmethod
    def list_objects(bucket: s3.IBucket, *, prefix: str | None = None, max_items: int | None = None) -> ItemSource:
        """Each object under ``prefix`` is one item (``s3:listObjectsV2``): its ``Key``, ``Size``, ``ETag``...

        Granted: ``s3:ListBucket`` on the bucket, limited by an ``s3:prefix`` condition to ``prefix``.
        ``prefix`` Default: every object in the bucket. ``max_items`` Default: every object.
        """
        return ItemSource(ItemSourceKind.LIST_OBJECTS, bucket, prefix=prefix, max_items=max_items)

    @staticmethod
    def json_array(bucket: s3.IBucket, key: str, *, max_items: int | None = None) -> ItemSource:
        """One JSON file holding an array; each element is one item. Granted: ``s3:GetObject`` on that key only.

        ``max_items`` Default: every element.
        """
        return ItemSource(
            ItemSourceKind.JSON, bucket, key=key, reader_config={"InputType": "JSON"}, max_items=max_items
        )

    @staticmethod
    def json_lines(bucket: s3.IBucket, key: str, *, max_items: int | None = None) -> ItemSource:
        """One JSON Lines file; each line is one item. Granted: ``s3:GetObject`` on that key only.

        ``max_items`` Default: every line.
        """
        return ItemSource(
            ItemSourceKind.JSONL, bucket, key=key, reader_config={"InputType": "JSONL"}, max_items=max_items
        )

    @staticmethod
    def csv(
        bucket: s3.IBucket,
        key: str,
        *,
        headers: Sequence[str] | None = None,
        delimiter: sfn.CsvDelimiter | None = None,
        max_items: int | None = None,
    ) -> ItemSource:
        """One CSV file; each row is one item, an object keyed by the column headers (values are strings).

        Granted: ``s3:GetObject`` on that key only.

        :param headers: the column names. Default: the file's first row is the header row.
        :param delimiter: Default: ``CsvDelimiter.COMMA``.
        :param max_items: Default: every row.
        """
        config: dict[str, Any] = {"InputType": "CSV"}
        if delimiter is not None:
            config["CSVDelimiter"] = delimiter.value if isinstance(delimiter, sfn.CsvDelimiter) else delimiter
        if headers is None:
            config["CSVHeaderLocation"] = "FIRST_ROW"
        else:
            config["CSVHeaderLocation"] = "GIVEN"
            config["CSVHeaders"] = list(headers) if not isinstance(headers, str) else headers
        return ItemSource(ItemSourceKind.CSV, bucket, key=key, reader_config=config, max_items=max_items)

    @staticmethod
    def inventory_manifest(
        bucket: s3.IBucket, key: str, *, data_prefix: str | None = None, max_items: int | None = None
    ) -> ItemSource:
        """An S3 Inventory report: ``key`` is its ``manifest.json``; each inventoried object is one item.

        Granted: ``s3:GetObject`` on the manifest and on the report's data files under ``data_prefix``.

        :param data_prefix: where the report's files live. Default: the inventory configuration's
            folder, two levels above the manifest (``<prefix>/<source bucket>/<configuration id>/``,
            the layout S3 Inventory writes).
        :param max_items: Default: every inventoried object.
        """
        return ItemSource(
            ItemSourceKind.MANIFEST,
            bucket,
            key=key,
            reader_config={"InputType": "MANIFEST"},
            max_items=max_items,
            data_prefix=data_prefix,
        )

    # --- attributes ------------------------------------------------------------------------

    @property
    def kind(self) -> str:
        """One of :class:`ItemSourceKind`'s values."""
        return self._kind

    @property
    def bucket(self) -> s3.IBucket:
        """The bucket the items are read from."""
        return self._bucket

    @property
    def key(self) -> str | None:
        """The object read (None for :meth:`list_objects`)."""
        return self._key

    @property
    def prefix(self) -> str | None:
        """The listed prefix of :meth:`list_objects` (None otherwise, or for the whole bucket)."""
        return self._prefix

    @property
    def max_items(self) -> int | None:
        """``ReaderConfig.MaxItems`` (None: every item)."""
        return self._max_items

    # --- validation, rendering, permissions -------------------------------------------------

    def validate(self, check: PropsValidator, prop: str) -> None:
        """Raise ConstructPropsError naming ``prop`` when the source cannot work; tokens are skipped."""
        # jsii interfaces are not runtime-checkable protocols: check the members the job uses.
        if not all(hasattr(self._bucket, member) for member in ("bucket_arn", "bucket_name", "arn_for_objects")):
            check.fail(f"{prop}.bucket", f"must be an s3.IBucket, got {type(self._bucket).__name__}")
        if self._key is not None or self._kind != ItemSourceKind.LIST_OBJECTS:
            key = self._key
            if not isinstance(key, str) or (not check.is_token(key) and not key.strip()):
                check.fail(f"{prop}.key", f"must name the object to read, got {key!r}")
            if not check.is_token(key) and key.endswith("/"):
                check.fail(f"{prop}.key", f"names a folder, not an object: {key!r}")
        if self._prefix is not None and not isinstance(self._prefix, str):
            check.fail(f"{prop}.prefix", f"must be a string, got {self._prefix!r}")
        max_items = self._max_items
        bad_count = isinstance(max_items, bool) or not isinstance(max_items, int) or max_items < 1
        if max_items is not None and not check.is_token(max_items) and bad_count:
            check.fail(f"{prop}.max_items", f"must be a positive whole number, got {max_items!r}")
        if self._kind == ItemSourceKind.CSV:
            self._validate_csv(check, prop)
        underivable = check.is_token(self._key) or self._manifest_data_prefix() is None
        if self._kind == ItemSourceKind.MANIFEST and self._data_prefix is None and underivable:
            check.fail(
                f"{prop}.data_prefix",
                "cannot be derived from the manifest key "
                f"{self._key!r} (expected <prefix>/<source bucket>/<configuration id>/<date>/manifest.json); "
                "pass data_prefix=...",
            )

    def _validate_csv(self, check: PropsValidator, prop: str) -> None:
        delimiter = self._reader_config.get("CSVDelimiter")
        allowed = [member.value for member in sfn.CsvDelimiter]
        if delimiter is not None and delimiter not in allowed:
            check.fail(f"{prop}.delimiter", f"must be a CsvDelimiter ({', '.join(allowed)}), got {delimiter!r}")
        headers = self._reader_config.get("CSVHeaders")
        if headers is None:
            return
        if isinstance(headers, str) or not isinstance(headers, list):
            check.fail(f"{prop}.headers", f"must be a list of column names, got {headers!r}")
        if not headers:
            check.fail(f"{prop}.headers", "must name at least one column (or leave headers out to read the first row)")
        names = [h for h in headers if not check.is_token(h)]
        for header in names:
            if not isinstance(header, str) or not header:
                check.fail(f"{prop}.headers", f"column names must be non-empty strings, got {header!r}")
        duplicates = sorted({h for h in names if names.count(h) > 1})
        if duplicates:
            check.fail(f"{prop}.headers", f"column names must be unique, repeated: {', '.join(duplicates)}")

    def render(self, query_language: sfn.QueryLanguage | None) -> dict[str, Any]:
        """The ``ItemReader`` field of the Map state (``Arguments`` under JSONata, else ``Parameters``)."""
        action = "listObjectsV2" if self._kind == ItemSourceKind.LIST_OBJECTS else "getObject"
        location: dict[str, Any] = {"Bucket": self._bucket.bucket_name}
        if self._key is not None:
            location["Key"] = self._key
        if self._prefix:
            location["Prefix"] = self._prefix
        config = dict(self._reader_config)
        if self._max_items is not None:
            config["MaxItems"] = self._max_items
        field = "Arguments" if query_language == sfn.QueryLanguage.JSONATA else "Parameters"
        reader: dict[str, Any] = {"Resource": f"arn:{Aws.PARTITION}:states:::s3:{action}"}
        if config:
            reader["ReaderConfig"] = config
        reader[field] = location
        return reader

    def policy_statements(self) -> list[iam.PolicyStatement]:
        """The least privilege that lets Step Functions read this source, and nothing else of the bucket."""
        if self._kind == ItemSourceKind.LIST_OBJECTS:
            conditions = {"StringLike": {"s3:prefix": f"{self._prefix}*"}} if self._prefix else None
            return [
                iam.PolicyStatement(actions=[_LIST_BUCKET], resources=[self._bucket.bucket_arn], conditions=conditions)
            ]
        key = self._key or ""
        resources = [self._bucket.arn_for_objects(key)]
        if self._kind == ItemSourceKind.MANIFEST:
            data_prefix = self._data_prefix if self._data_prefix is not None else self._manifest_data_prefix()
            resources.append(self._bucket.arn_for_objects(f"{data_prefix}*"))
        return [iam.PolicyStatement(actions=[_GET_OBJECT], resources=resources)]

    def _manifest_data_prefix(self) -> str | None:
        key = self._key or ""
        if Token.is_unresolved(key):
            return None
        parts = key.split("/")
        # <prefix...>/<source bucket>/<configuration id>/<date>/manifest.json
        if len(parts) < 4:
            return None
        return "/".join(parts[:-2]) + "/"

    def __repr__(self) -> str:
        where = self._key if self._key is not None else f"{self._prefix or ''}*"
        return f"ItemSource({self._kind}, {where!r})"
