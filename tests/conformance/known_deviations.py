"""Cases where the local executor knowingly differs from what AWS recorded.

Maps a corpus case ``id`` (exactly as in the ``.jsonl`` files) to the reason. Listed cases run as
``xfail(strict=True)``: when a deviation gets fixed the suite fails until the entry is removed.
Every key must be a real case id (checked by ``test_known_deviations_are_real_cases``).
"""

from __future__ import annotations

__all__ = ["KNOWN_DEVIATIONS"]

KNOWN_DEVIATIONS: dict[str, str] = {}
