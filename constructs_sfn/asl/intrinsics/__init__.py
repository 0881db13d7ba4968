"""Intrinsic functions (``States.Format``, ``States.Array``, ...) for JSONPath-mode states."""

from __future__ import annotations

from constructs_sfn.asl.intrinsics.intrinsic import Intrinsic, compile_intrinsic, is_intrinsic

__all__ = ["Intrinsic", "compile_intrinsic", "is_intrinsic"]
