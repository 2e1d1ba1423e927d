"""Collects every scenario of the feature files in this folder (manual chapter 04)."""
from pytest_bdd import scenarios

scenarios(".")
