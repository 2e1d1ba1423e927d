"""Collects every scenario of the feature files in this folder (manual chapter 06)."""
from pytest_bdd import scenarios

scenarios(".")
