"""Fail when something of the project lacks a description (run by `make docs-check`).

Reads the artifacts of `dbt docs generate` and the project's own files, and checks that
every

* model has a description, and every column of it (the columns declared in yml and,
  when target/catalog.json is there, every column the built table really has) too;
* source, source table and source column has a description;
* macro has a description (in a `macros:` yml block); the adapter implementations of a
  dispatched macro (`duckdb__month_start`, `default__month_start`) are covered by the
  dispatching macro (`month_start`);
* semantic model, metric and exposure has a description;
* var of dbt_project.yml has a comment right above it (a group of vars may share one),
  every var read with `var('...')` in models, macros, tests or analyses is declared
  there, and, when the project has a README.md, each var is named in the README.

It also lists, without failing, column names that occur in several models but are not
described with a shared doc block (`{{ doc('...') }}`) everywhere they occur.

Usage:
    python scripts/check_docs_coverage.py [--target-dir target] [--project-dir .]
    python scripts/check_docs_coverage.py --draft-macro-docs > macros/_macros.yml

`--draft-macro-docs` prints a `macros:` yml block for every undescribed macro, drafted
from the `{# ... #}` comment above the macro in its file: a starting point to review.

Exit status 0 when everything is described, 1 otherwise (the list says what is missing).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_NAME = "license_utilization"
#: Column names in at least this many models should share one doc block.
REPEATED_COLUMN_MIN_MODELS = 3
#: Adapter prefixes of dispatch implementations (`<adapter>__<macro>`).
DISPATCH_PREFIX = re.compile(r"^(?P<adapter>[a-z0-9]+)__(?P<macro>.+)$")
COMMENT_BLOCK = re.compile(r"\{#-?(?P<text>.*?)-?#\}", re.DOTALL)
VAR_CALL = re.compile(r"""\bvar\(\s*['"](?P<name>[A-Za-z_][A-Za-z0-9_]*)['"]""")


@dataclass
class Report:
    """What is missing, and notes that do not fail the check."""

    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    def check(self, kind: str, described: bool, what: str) -> None:
        """Count one item of `kind`; record `what` as missing unless `described`."""
        self.counts[kind][1] += 1
        if described:
            self.counts[kind][0] += 1
        else:
            self.missing.append(what)


def _has_text(value: str | None) -> bool:
    return bool(value and value.strip())


def _own(nodes: dict, resource_type: str | None = None) -> list[dict]:
    """The project's own enabled nodes (not those of installed packages)."""
    return sorted(
        (
            node
            for node in nodes.values()
            if node.get("package_name") == PROJECT_NAME
            and (resource_type is None or node.get("resource_type") == resource_type)
            and node.get("config", {}).get("enabled", True)
        ),
        key=lambda node: node["unique_id"],
    )


def check_models(manifest: dict, catalog: dict | None, report: Report) -> None:
    """Models and their columns, declared (yml) and built (catalog)."""
    catalog_nodes = (catalog or {}).get("nodes", {})
    for node in _own(manifest["nodes"], "model"):
        name = node["name"]
        report.check("models", _has_text(node.get("description")), f"model {name}: no description")
        declared = {column.lower(): spec for column, spec in node.get("columns", {}).items()}
        for column, spec in sorted(declared.items()):
            report.check(
                "model columns",
                _has_text(spec.get("description")),
                f"model {name}: column {column} has no description",
            )
        built = catalog_nodes.get(node["unique_id"])
        if catalog is None:
            continue
        if built is None:
            if node.get("config", {}).get("materialized") == "ephemeral":
                continue  # never a table: its yml columns are all there is
            report.notes.append(f"model {name} is not in the catalog (not built?): built columns not checked")
            continue
        for column in sorted(c.lower() for c in built.get("columns", {})):
            if column not in declared:
                report.check(
                    "model columns",
                    False,
                    f"model {name}: column {column} (in the built table) is not documented in yml",
                )


def check_sources(manifest: dict, catalog: dict | None, report: Report) -> None:
    """Sources (the `source_description`), their tables and columns."""
    seen_sources: set[str] = set()
    catalog_sources = (catalog or {}).get("sources", {})
    for node in _own(manifest["sources"]):
        source, table = node["source_name"], node["name"]
        if source not in seen_sources:
            seen_sources.add(source)
            report.check(
                "sources",
                _has_text(node.get("source_description")),
                f"source {source}: no description",
            )
        report.check(
            "source tables",
            _has_text(node.get("description")),
            f"source {source}.{table}: no description",
        )
        declared = {column.lower(): spec for column, spec in node.get("columns", {}).items()}
        for column, spec in sorted(declared.items()):
            report.check(
                "source columns",
                _has_text(spec.get("description")),
                f"source {source}.{table}: column {column} has no description",
            )
        built = catalog_sources.get(node["unique_id"])
        for column in sorted(c.lower() for c in (built or {}).get("columns", {})):
            if column not in declared:
                report.check(
                    "source columns",
                    False,
                    f"source {source}.{table}: column {column} (in the table) is not documented in yml",
                )


def check_macros(manifest: dict, report: Report) -> None:
    """Macros; dispatch implementations are covered by the dispatching macro."""
    undescribed = {macro["unique_id"] for macro in undescribed_macros(manifest)}
    names = {macro["name"] for macro in _own(manifest["macros"])}
    for macro in _own(manifest["macros"]):
        match = DISPATCH_PREFIX.match(macro["name"])
        if match and match.group("macro") in names:
            continue  # an adapter implementation: described by its dispatcher
        report.check(
            "macros",
            macro["unique_id"] not in undescribed,
            f"macro {macro['name']} ({macro['original_file_path']}): no description",
        )


def check_semantic_layer_and_exposures(manifest: dict, report: Report) -> None:
    """Semantic models, metrics and exposures."""
    for key, kind in (("semantic_models", "semantic models"), ("metrics", "metrics"), ("exposures", "exposures")):
        for node in _own(manifest.get(key, {})):
            report.check(kind, _has_text(node.get("description")), f"{kind[:-1]} {node['name']}: no description")


def undescribed_macros(manifest: dict) -> list[dict]:
    """The macros `check_macros` would report (dispatch implementations excluded)."""
    macros = _own(manifest["macros"])
    names = {macro["name"] for macro in macros}
    return [
        macro
        for macro in macros
        if not _has_text(macro.get("description"))
        and not ((match := DISPATCH_PREFIX.match(macro["name"])) and match.group("macro") in names)
    ]


def comment_above(source: str, macro_name: str) -> str:
    """The `{# ... #}` comment nearest above `{% macro name(` (or `{% test name(`), as one line."""
    short = macro_name[len("test_"):] if macro_name.startswith("test_") else macro_name
    definition = re.search(rf"\{{%-?\s*(macro\s+{re.escape(macro_name)}|test\s+{re.escape(short)})\s*\(", source)
    if definition is None:
        return ""
    comments = list(COMMENT_BLOCK.finditer(source, 0, definition.start()))
    if not comments:
        return ""
    return " ".join(comments[-1].group("text").split())


def draft_macro_docs(manifest: dict, project_dir: Path) -> str:
    """A `macros:` yml block for the undescribed macros, from the comments above them."""
    lines = [
        "version: 2",
        "",
        "# Drafted by scripts/check_docs_coverage.py --draft-macro-docs from the comment",
        "# above each macro; review before committing.",
        "macros:",
    ]
    for macro in sorted(undescribed_macros(manifest), key=lambda m: (m["original_file_path"], m["name"])):
        path = project_dir / macro["original_file_path"]
        text = comment_above(path.read_text(errors="replace"), macro["name"]) if path.exists() else ""
        if "{{" in text or "{%" in text:  # dbt renders descriptions with Jinja
            text = "{% raw %}" + text + "{% endraw %}"
        lines.append(f"  - name: {macro['name']}")
        lines.append(f"    description: {json.dumps(text or 'TO DESCRIBE')}")
    return "\n".join(lines) + "\n"


def declared_vars(project_yml: str) -> dict[str, bool]:
    """Vars of dbt_project.yml's `vars:` block -> whether a comment sits right above.

    A var counts as described when the nearest line above it that is not another var
    of the same group is a comment: `raw_database` and `raw_schema` under one comment
    are both described; a var after a blank line and no comment is not.
    """
    lines = project_yml.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if re.match(r"^vars:\s*(#.*)?$", line))
    except StopIteration:
        return {}
    result: dict[str, bool] = {}
    var_line = re.compile(r"^  (?P<name>[A-Za-z_][A-Za-z0-9_]*):")
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if line and not line.startswith(" ") and not line.startswith("#"):
            break  # the next top-level key: end of `vars:`
        match = var_line.match(line)
        if not match:
            continue
        above = index - 1
        while above > start and var_line.match(lines[above]) is None and lines[above].startswith("    "):
            above -= 1  # skip the body of a multi-line value, e.g. a list
        while above > start and var_line.match(lines[above]):
            above -= 1  # the group of vars right above shares its comment
            while above > start and lines[above].startswith("    "):
                above -= 1
        result[match.group("name")] = lines[above].strip().startswith("#")
    return result


def check_vars(project_dir: Path, report: Report) -> None:
    """Vars: a comment in dbt_project.yml, declared when used, named in the README."""
    declared = declared_vars((project_dir / "dbt_project.yml").read_text())
    for name, commented in sorted(declared.items()):
        report.check("vars", commented, f"var {name}: no comment above it in dbt_project.yml")
    used: dict[str, str] = {}
    for folder in ("models", "macros", "tests", "analyses", "snapshots"):
        for path in sorted((project_dir / folder).rglob("*")):
            if path.suffix in {".sql", ".yml", ".yaml", ".md"} and path.is_file():
                for match in VAR_CALL.finditer(path.read_text(errors="replace")):
                    used.setdefault(match.group("name"), str(path.relative_to(project_dir)))
    for name, where in sorted(used.items()):
        if name not in declared:
            report.missing.append(f"var {name}: read in {where} but not declared in dbt_project.yml")
    readme = project_dir / "README.md"
    if readme.exists():
        text = readme.read_text(errors="replace")
        for name in sorted(declared):
            if not re.search(rf"\b{re.escape(name)}\b", text):
                report.missing.append(f"var {name}: not named in README.md")


def note_repeated_columns(manifest: dict, report: Report) -> None:
    """Note column names used in several models that do not share a doc block everywhere."""
    occurrences: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for node in _own(manifest["nodes"], "model"):
        for column, spec in node.get("columns", {}).items():
            occurrences[column.lower()].append((node["name"], bool(spec.get("doc_blocks"))))
    for column, where in sorted(occurrences.items()):
        if len(where) >= REPEATED_COLUMN_MIN_MODELS and not all(uses_doc for _, uses_doc in where):
            without = sorted(model for model, uses_doc in where if not uses_doc)
            report.notes.append(
                f"column {column} is in {len(where)} models; without a doc block in: {', '.join(without)}"
            )


def run(target_dir: Path, project_dir: Path, out=sys.stdout) -> int:
    """Run every check; print the report to `out`; return the exit status."""
    manifest_path = target_dir / "manifest.json"
    if not manifest_path.exists():
        print(f"{manifest_path} not found: run `dbt docs generate` (or `dbt parse`) first.", file=out)
        return 2
    manifest = json.loads(manifest_path.read_text())
    catalog_path = target_dir / "catalog.json"
    catalog = json.loads(catalog_path.read_text()) if catalog_path.exists() else None

    report = Report()
    check_models(manifest, catalog, report)
    check_sources(manifest, catalog, report)
    check_macros(manifest, report)
    check_semantic_layer_and_exposures(manifest, report)
    check_vars(project_dir, report)
    note_repeated_columns(manifest, report)
    if catalog is None:
        report.notes.append(f"{catalog_path} not found: built columns not checked (run `dbt docs generate`)")

    print("Documentation coverage:", file=out)
    for kind, (described, total) in report.counts.items():
        print(f"  {kind:<16} {described:>4} / {total:<4} described", file=out)
    for note in report.notes:
        print(f"  note: {note}", file=out)
    if report.missing:
        print(f"\n{len(report.missing)} undocumented:", file=out)
        for item in report.missing:
            print(f"  - {item}", file=out)
        return 1
    print("Everything is described.", file=out)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target-dir", type=Path, default=Path("target"), help="dbt's target folder")
    parser.add_argument("--project-dir", type=Path, default=Path("."), help="the dbt project root")
    parser.add_argument("--draft-macro-docs", action="store_true",
                        help="print a macros: yml block for the undescribed macros and exit")
    args = parser.parse_args(argv)
    if args.draft_macro_docs:
        manifest = json.loads((args.target_dir / "manifest.json").read_text())
        sys.stdout.write(draft_macro_docs(manifest, args.project_dir))
        return 0
    return run(args.target_dir, args.project_dir)


if __name__ == "__main__":
    sys.exit(main())
