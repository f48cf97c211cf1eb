"""Documentation: `dbt docs generate` works and everything is described.

The real check runs scripts/check_docs_coverage.py on the artifacts of `dbt docs generate`
(manifest and catalog of the built warehouse). The small tests before it prove the
checker itself: it must fail on a model or column without a description.
"""

from __future__ import annotations

import importlib.util
import io
import json
import sys
from pathlib import Path

import pytest
from serve_helpers import REPO_ROOT, executable, run_checked

_spec = importlib.util.spec_from_file_location("check_docs_coverage", REPO_ROOT / "scripts" / "check_docs_coverage.py")
checker = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = checker  # dataclasses look their module up there
_spec.loader.exec_module(checker)

PROJECT = checker.PROJECT_NAME


def model(name: str, description: str, columns: dict[str, str], doc_blocks: bool = False) -> dict:
    """A manifest model node with `columns` (name -> description)."""
    return {
        "unique_id": f"model.{PROJECT}.{name}",
        "resource_type": "model",
        "package_name": PROJECT,
        "name": name,
        "description": description,
        "config": {"enabled": True, "materialized": "table"},
        "columns": {
            column: {"name": column, "description": text, "doc_blocks": ["doc.x"] if doc_blocks else []}
            for column, text in columns.items()
        },
    }


def write_project(tmp_path: Path, nodes: list[dict], catalog_columns: dict[str, list[str]] | None = None,
                  vars_block: str = "vars:\n  # The day the marts are as of.\n  as_of_date: null\n") -> Path:
    """A target folder (manifest, optional catalog) and a dbt_project.yml with `vars_block`."""
    target = tmp_path / "target"
    target.mkdir()
    manifest = {"nodes": {node["unique_id"]: node for node in nodes}, "sources": {}, "macros": {},
                "semantic_models": {}, "metrics": {}, "exposures": {}}
    (target / "manifest.json").write_text(json.dumps(manifest))
    if catalog_columns is not None:
        catalog = {
            "nodes": {
                f"model.{PROJECT}.{name}": {"columns": {column: {"name": column} for column in columns}}
                for name, columns in catalog_columns.items()
            },
            "sources": {},
        }
        (target / "catalog.json").write_text(json.dumps(catalog))
    (tmp_path / "dbt_project.yml").write_text(f"name: x\n{vars_block}")
    return target


def run_checker(target: Path) -> tuple[int, str]:
    out = io.StringIO()
    return checker.run(target, target.parent, out=out), out.getvalue()


def test_checker_passes_when_everything_is_described(tmp_path):
    target = write_project(tmp_path, [model("fct_a", "A fact.", {"account_id": "The account."})],
                           catalog_columns={"fct_a": ["account_id"]})
    status, output = run_checker(target)
    assert status == 0, output
    assert "Everything is described." in output


def test_checker_fails_on_a_model_without_description(tmp_path):
    target = write_project(tmp_path, [model("fct_a", "", {"account_id": "The account."})])
    status, output = run_checker(target)
    assert status == 1
    assert "model fct_a: no description" in output


def test_checker_fails_on_a_column_without_description(tmp_path):
    target = write_project(tmp_path, [model("fct_a", "A fact.", {"account_id": "The account.", "seats": " "})])
    status, output = run_checker(target)
    assert status == 1
    assert "model fct_a: column seats has no description" in output


def test_checker_fails_on_a_built_column_missing_from_yml(tmp_path):
    target = write_project(tmp_path, [model("fct_a", "A fact.", {"account_id": "The account."})],
                           catalog_columns={"fct_a": ["account_id", "new_column"]})
    status, output = run_checker(target)
    assert status == 1
    assert "column new_column (in the built table) is not documented" in output


def test_checker_fails_on_an_undescribed_var(tmp_path):
    vars_block = "vars:\n  # Documented.\n  active_window_days: 30\n\n  sneaky_var: 1\n"
    target = write_project(tmp_path, [model("fct_a", "A fact.", {})], vars_block=vars_block)
    status, output = run_checker(target)
    assert status == 1
    assert "var sneaky_var: no comment above it" in output
    assert "active_window_days" not in output.split("undocumented:")[-1]


def test_vars_of_a_group_share_their_comment():
    project = (
        "vars:\n"
        "  # Where the raw tables are.\n"
        "  raw_database: null\n"
        "  raw_schema: null\n"
        "  # Bands.\n"
        "  size_bands:\n"
        "    - {label: a, max_employees: 50}\n"
        "  min_cohort_size: 5\n"
        "\n"
        "  orphan: 1\n"
        "models:\n"
        "  x: 1\n"
    )
    assert checker.declared_vars(project) == {
        "raw_database": True, "raw_schema": True, "size_bands": True, "min_cohort_size": True, "orphan": False,
    }


@pytest.fixture(scope="module")
def docs_target(dbt_environment, tmp_path_factory) -> Path:
    """`dbt docs generate` of the project against the built warehouse, in its own target folder."""
    target = tmp_path_factory.mktemp("docs") / "target"
    run_checked([executable("dbt"), "docs", "generate", "--quiet", "--target-path", str(target)], dbt_environment)
    return target


def test_dbt_docs_generate_works(docs_target):
    for artifact in ("manifest.json", "catalog.json", "index.html"):
        assert (docs_target / artifact).exists(), artifact
    catalog = json.loads((docs_target / "catalog.json").read_text())
    assert f"model.{PROJECT}.dim_account_health" in catalog["nodes"]


def test_everything_is_described(docs_target):
    status, output = run_checker_on_project(docs_target)
    assert status == 0, output


def run_checker_on_project(target: Path) -> tuple[int, str]:
    out = io.StringIO()
    return checker.run(target, REPO_ROOT, out=out), out.getvalue()
