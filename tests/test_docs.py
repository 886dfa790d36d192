"""The documentation stays true: a README of a guide's length, links that resolve inside the
repository, no path outside it, a CLI reference generated from the commands, figures read from
the data, and the doctests of kg/ collected by the README's test command."""
from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md")) + [README, ROOT / "bench" / "README.md", ROOT / "CHANGELOG.md"]
# a path outside the repository: a sibling checkout, a temporary or home folder
OUTSIDE = re.compile(r"\.\./shared|(?<![\w.])/(?:tmp|work|home|root|Users)/|~/")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _commands(group=main, path=()) -> list[tuple[str, ...]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((*path, name))
        if hasattr(command, "commands"):
            found += _commands(command, (*path, name))
    return found


def test_readme_is_a_guide_not_a_diary():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert 100 < len(lines) <= 300
    text = "\n".join(lines)
    commit = re.search(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,40}\b", text)
    assert commit is None, f"no commit hashes: {commit}"
    assert "instructions" not in text


def test_readme_gives_the_ci_install_and_test_commands():
    readme = README.read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = ci.strip().splitlines()[-1]
    assert test_command == ".venv/bin/python -m pytest"
    assert f"\n{test_command}\n" in readme
    assert "python3 -m venv .venv" in ci and "python3 -m venv .venv" in readme
    assert ".venv/bin/pip install -q -e '.[test]'" in ci and ".venv/bin/pip install -e '.[test]'" in readme


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_path_outside_the_repository_and_every_link_resolves(doc):
    text = doc.read_text(encoding="utf-8")
    assert not OUTSIDE.search(text), OUTSIDE.search(text)
    links = [t for t in LINK.findall(text) if not t.startswith(("http://", "https://", "#", "mailto:"))]
    for target in links:
        path = (doc.parent / target.split("#")[0]).resolve()
        assert path.is_relative_to(ROOT) and path.exists(), (doc.name, target)
    if doc == README:
        assert len(links) >= 15


def test_help_texts_name_no_path_outside_the_repository():
    commands = _commands()
    assert len(commands) >= 15
    for path in [(), *commands]:
        out = CliRunner().invoke(main, [*path, "--help"]).output
        assert "Usage: " in out and not OUTSIDE.search(out), (path, OUTSIDE.search(out))


def test_cli_reference_is_generated_from_the_commands():
    """docs/cli.md is what docs/make_cli_reference.py writes: after changing a command, run it."""
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        import make_cli_reference
    finally:
        sys.path.remove(str(ROOT / "docs"))
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert text == make_cli_reference.reference(), "docs/cli.md is stale: run python docs/make_cli_reference.py"
    for path in _commands():
        assert f"\n## kg {' '.join(path)}\n" in text, path
    assert "--min-confidence" in text and "--max-bytes" in text


def test_vocabulary_figures_in_the_docs_are_the_loaded_ones():
    from kg.vocab import default_vocabulary

    concepts = default_vocabulary().concepts.values()
    kinds = Counter("family" if c.is_family else c.kind for c in concepts)
    assert kinds["dataset"] > 500
    stated = (f"{kinds['dataset']} datasets", f"{kinds['method']} methods and {kinds['family']} method families",
              f"{kinds['task']} tasks", f"{kinds['metric']} metrics")
    extraction = " ".join((ROOT / "docs" / "extraction.md").read_text(encoding="utf-8").split())
    for phrase in stated:
        assert phrase in extraction, phrase


def test_bench_readme_names_every_script():
    text = (ROOT / "bench" / "README.md").read_text(encoding="utf-8")
    scripts = [p.stem for p in (ROOT / "bench").glob("*.py") if p.stem != "__init__"]
    assert len(scripts) >= 4
    for name in scripts:
        assert f"`bench/{name}.py`" in text and f"python -m bench.{name}" in text, name
    assert "bench/README.md" in (ROOT / "bench" / "__init__.py").read_text(encoding="utf-8")


def test_the_readme_test_command_collects_the_doctests_of_kg():
    """`python -m pytest` (the README's command, no arguments) collects an item for every module
    of kg/ with an example in a docstring."""
    with_examples = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "kg").rglob("*.py")
                           if ">>> " in p.read_text(encoding="utf-8"))
    assert len(with_examples) >= 15
    proc = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-p", "no:cacheprovider"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    collected = {line.split("::")[0] for line in proc.stdout.splitlines() if "::" in line}
    assert "tests/test_docs.py" in collected
    assert [m for m in with_examples if m not in collected] == []
