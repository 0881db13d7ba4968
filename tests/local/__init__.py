"""Tests of constructs_sfn.local."""
