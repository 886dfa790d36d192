"""Write docs/cli.md from the commands' own ``--help`` texts, so the reference cannot drift.

    python docs/make_cli_reference.py            # rewrites docs/cli.md
    python docs/make_cli_reference.py --check    # exit 1 when docs/cli.md is out of date
"""
from __future__ import annotations

import sys
from pathlib import Path

import click
from click.testing import CliRunner

from kg.cli import main

TARGET = Path(__file__).resolve().parent / "cli.md"
WIDTH = 100

INTRO = """\
# Command-line reference

Every `kg` command, with every option, as `kg COMMAND --help` prints it (this page is generated
by `python docs/make_cli_reference.py`; do not edit it by hand). `GRAPH` is a build folder (its
store is opened read-only, so a build may run meanwhile) or any RDF file (`graph.ttl`, `.nt`,
`.jsonld`, …). A guided tour is in the [README](../README.md).
"""


def _help(path: list[str]) -> str:
    result = CliRunner().invoke(main, [*path, "--help"], prog_name="kg", terminal_width=WIDTH)
    if result.exit_code != 0:
        raise RuntimeError(f"kg {' '.join(path)} --help failed: {result.output}")
    return result.output.rstrip() + "\n"


def _commands(group: click.Group, path: list[str]) -> list[tuple[list[str], click.Command]]:
    """(path, command) of every command under ``group``, depth first, in name order."""
    found = []
    for name in sorted(group.commands):
        command = group.commands[name]
        found.append(([*path, name], command))
        if isinstance(command, click.Group):
            found += _commands(command, [*path, name])
    return found


def reference() -> str:
    commands = _commands(main, [])
    parts = [INTRO, "\n| command | what it does |\n|---|---|\n"]
    for path, command in commands:
        anchor = "kg-" + "-".join(path)
        parts.append(f"| [`kg {' '.join(path)}`](#{anchor}) | {command.get_short_help_str(limit=90)} |\n")
    parts.append(f"\n## kg\n\n```text\n{_help([])}```\n")
    for path, _ in commands:
        parts.append(f"\n## kg {' '.join(path)}\n\n```text\n{_help(path)}```\n")
    return "".join(parts)


def main_(argv: list[str]) -> int:
    text = reference()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.is_file() else ""
        if current != text:
            print(f"{TARGET} is out of date: run python docs/make_cli_reference.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main_(sys.argv[1:]))
