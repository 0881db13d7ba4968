"""``cdk synth`` entry point of the refund approval example (the stack is in refund_stack.py)."""

from __future__ import annotations

from refund_stack import build_app

if __name__ == "__main__":
    build_app().synth()
