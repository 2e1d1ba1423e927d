"""pytest-bdd step definitions, phrased like the manual, grouped by domain."""
