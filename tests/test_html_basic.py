"""The HTML page works offline (nothing loaded from the network) and paper text never becomes markup."""
from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

URL_ATTRS = ("src", "href", "data", "srcset", "poster", "action", "formaction", "background")
REMOTE = ("http://", "https://", "//")


class Page(HTMLParser):
    """Every start tag with its attributes, and the text inside each <script>."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._in_script: dict | None = None
        self._buf: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "script":
            self._in_script, self._buf = attrs, []

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            self.scripts.append((self._in_script, "".join(self._buf)))
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self._buf.append(data)

    def urls(self) -> list[tuple[str, str, str]]:
        return [(tag, k, v or "") for tag, attrs in self.tags for k, v in attrs.items() if k in URL_ATTRS]


def vis_network_js() -> str:
    import pyvis
    return (Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js").read_text(encoding="utf-8")


def assert_offline(text: str) -> Page:
    page = Page(text)
    for tag, attr, url in page.urls():
        assert not url.strip().lower().startswith(REMOTE), (tag, attr, url)
    for tag, attrs in page.tags:
        if tag in ("script", "link", "img", "iframe"):
            for attr in ("src", "href"):
                assert not (attrs.get(attr) or "").lower().startswith(REMOTE), (tag, attrs)
    assert all("src" not in attrs for attrs, _ in page.scripts)          # every script is inline
    assert not [a for t, a in page.tags if t == "link" and a.get("rel") == "stylesheet"]
    # the CSS carries no remote url() / @import either
    assert "@import" not in text and "url(http" not in text.replace(" ", "").lower()
    return page


def assert_only_our_scripts(page: Page) -> dict:
    """The page's <script> elements are exactly ours: vis-network, the data island, our code."""
    assert len(page.scripts) == 3, [a for a, _ in page.scripts]
    (lib_attrs, lib), (data_attrs, data), (code_attrs, code) = page.scripts
    assert lib_attrs == {} and lib == vis_network_js()
    assert data_attrs == {"id": "kg-data", "type": "application/json"}
    assert code_attrs == {} and "window.kgNetwork" in code and "textContent" in code
    return json.loads(data)


def test_seed_page_is_offline_and_complete(seeds_build, seeds_ttl):
    _, out = seeds_build
    text = (out / "graph.html").read_text(encoding="utf-8")
    page = assert_offline(text)
    data = assert_only_our_scripts(page)
    assert "default-src 'none'" in next(a["content"] for t, a in page.tags
                                         if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    kinds = {n["kind"] for n in data["nodes"]}
    assert kinds == {"paper", "method", "family", "dataset", "task"}      # tasks: paper → addressesTask → task
    assert sum(n["kind"] == "paper" for n in data["nodes"]) == 301
    assert len(data["edges"]) > 700


def test_kg_viz_page_is_offline(seeds_build, tmp_path):
    _, out = seeds_build
    target = tmp_path / "viz.html"
    assert CliRunner().invoke(main, ["viz", str(out), "-o", str(target)]).exit_code == 0
    assert_only_our_scripts(assert_offline(target.read_text(encoding="utf-8")))


EVIL_TITLE = ('EvilNet: <script>alert(1)</script> meets <img src=x onerror=alert(2)> and '
              '<link rel="stylesheet" href="https://evil.example/x.css"> "</script><script>alert(3)//" $\\frac{a}{b}$')
EVIL_ABSTRACT = ("We propose EvilNet, a network with a <b>bold</b> claim. EvilNet outperforms ResNet on CIFAR-10 "
                 "by a wide margin, see <a href='http://evil.example'>here</a>. </script><script>alert(4)</script>")


@pytest.fixture(scope="module")
def evil_build(tmp_path_factory):
    d = tmp_path_factory.mktemp("evil")
    listing = d / "evil.txt"
    listing.write_text(f"Subscribe\n\n{EVIL_TITLE}\n\n{EVIL_ABSTRACT}\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["build", str(listing), "--out", str(d / "out")])
    assert res.exit_code == 0, res.output
    assert "read 1 entries from 1 file(s): 1 papers" in res.output
    return d / "out"


@pytest.mark.parametrize("which", ["build", "viz"])
def test_planted_markup_in_paper_text_stays_text(evil_build, tmp_path, which):
    if which == "build":
        path = evil_build / "graph.html"
    else:
        path = tmp_path / "viz.html"
        assert CliRunner().invoke(main, ["viz", str(evil_build), "-o", str(path)]).exit_code == 0
    text = path.read_text(encoding="utf-8")
    page = assert_offline(text)
    data = assert_only_our_scripts(page)       # no <script> came from the paper
    assert [t for t, _ in page.tags if t in ("img", "a", "iframe", "object", "embed")] == []
    assert all("style" in a for t, a in page.tags if t == "b")     # only the legend's colour swatches
    assert [t for t, a in page.tags if t == "link"] == []
    assert not any(k.startswith("on") for _, attrs in page.tags for k in attrs)
    for planted in ("<script>alert", "<img src=x", "</script><script>", "evil.example/x.css\">", "<b>bold",
                    "<a href="):
        assert planted not in text, planted
    # ... and the text is still there, intact, as data
    fulls = {n["full"] for n in data["nodes"]}
    assert EVIL_TITLE in fulls
    assert {"EvilNet", "ResNet", "CIFAR-10"} <= fulls
    evidence = [s for e in data["edges"] for s in e["evidence"]]
    assert EVIL_TITLE in evidence                                   # the title is the proposal's evidence
    assert any("see <a href='http://evil.example'>here</a>." in s for s in evidence)
