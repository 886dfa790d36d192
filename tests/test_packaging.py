"""The wheel carries what the installed tool reads at run time (a checkout hides a missing file)."""

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _covered(path: str, pattern: str) -> bool:
    # setuptools globs do not cross "/" (fnmatch's "*" would)
    return path.count("/") == pattern.count("/") and fnmatch.fnmatch(path, pattern)


def _package_data() -> tuple[dict, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    return config.get("package-dir", {}), config["package-data"]


def test_every_ontology_file_the_tool_reads_is_package_data():
    package_dir, data = _package_data()
    assert package_dir.get("kg.ontology") == "ontology"
    patterns = data["kg.ontology"]
    needed = [p.relative_to(ROOT / "ontology").as_posix()
              for p in (ROOT / "ontology").rglob("*") if p.suffix in {".ttl", ".jsonld"}]
    assert {"kg.ttl", "shapes.ttl", "context.jsonld", "vocab/datasets.ttl", "vocab/methods.ttl"} <= set(needed)
    missing = [f for f in needed if not any(_covered(f, pat) for pat in patterns)]
    assert not missing, f"not installed with the package: {missing}"


def test_named_queries_are_package_data():
    _, data = _package_data()
    queries = [p.name for p in (ROOT / "kg" / "queries").glob("*.rq")]
    assert queries and all(any(_covered(f"queries/{q}", pat) for pat in data["kg"]) for q in queries)


def test_ontology_dir_prefers_the_installed_copy(tmp_path, monkeypatch):
    import kg.vocab as vocab

    monkeypatch.delenv("KG_ONTOLOGY_DIR", raising=False)
    assert vocab.ontology_dir() == ROOT / "ontology"      # a checkout: kg/ontology is not there
    monkeypatch.setenv("KG_ONTOLOGY_DIR", str(tmp_path))
    assert vocab.ontology_dir() == tmp_path
