"""Python logic behind the project's dbt Python models.

The dbt Python models in models/ are thin wrappers: they load a mart with
`dbt.ref()`, call a function of this package and return the DataFrame.
Everything here is plain pandas/numpy, importable and tested by pytest
without dbt (tests/python/test_trend.py).
"""
