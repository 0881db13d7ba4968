"""Harness for the AWS-recorded Step Functions conformance corpus.

``corpus`` finds and loads the cases, ``clients`` makes the client under test, ``runners`` runs a
case and scores it, ``matching``/``history`` hold the comparison rules (each normalisation is
documented in its module docstring), ``replay`` answers Task states of service cases from the
recorded results, ``scoring`` aggregates the verdicts. Used by the pytest suite in this directory
and by ``benchmarks/conformance_score.py``.
"""

from __future__ import annotations

__all__: list[str] = []
