"""The wheel carries what the installed tool reads at run time (a checkout hides a missing file)."""

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setuptools() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def _installed(path: Path) -> bool:
    """Whether ``path`` (a file of the checkout) is package data of some listed package."""
    config = _setuptools()
    package_dirs = {name: Path(config.get("package-dir", {}).get(name, name.replace(".", "/")))
                    for name in config["packages"]}
    for name in config["packages"]:   # a sub-package of a mapped one lives under its mapping
        for parent, folder in list(package_dirs.items()):
            if name.startswith(parent + ".") and name not in config.get("package-dir", {}):
                package_dirs[name] = folder / name[len(parent) + 1:].replace(".", "/")
    rel = path.relative_to(ROOT)
    return any(rel.parent == folder and any(fnmatch.fnmatch(rel.name, pat) for pat in config["package-data"].get(name, []))
               for name, folder in package_dirs.items())


def test_every_ontology_file_the_tool_reads_is_package_data():
    needed = [p for p in (ROOT / "ontology").rglob("*") if p.suffix in {".ttl", ".jsonld"}]
    names = {p.relative_to(ROOT / "ontology").as_posix() for p in needed}
    assert {"kg.ttl", "shapes.ttl", "context.jsonld", "vocab/datasets.ttl", "vocab/methods.ttl"} <= names
    missing = [str(p) for p in needed if not _installed(p)]
    assert not missing, f"not installed with the package: {missing}"


def test_named_queries_are_package_data():
    queries = list((ROOT / "kg" / "queries").glob("*.rq"))
    assert queries and all(_installed(q) for q in queries)


def test_ontology_dir_prefers_the_installed_copy(tmp_path, monkeypatch):
    import kg.vocab as vocab

    monkeypatch.delenv("KG_ONTOLOGY_DIR", raising=False)
    assert vocab.ontology_dir() == ROOT / "ontology"      # a checkout: kg/ontology is not there
    monkeypatch.setenv("KG_ONTOLOGY_DIR", str(tmp_path))
    assert vocab.ontology_dir() == tmp_path
