"""The HTML page works offline and paper text never becomes markup."""
from __future__ import annotations

import json
from html.parser import HTMLParser

from kg.pipeline import build


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.refs, self.tags = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "script":
            self.scripts.append(attrs)
        for key in ("src", "href"):
            if attrs.get(key):
                self.refs.append(attrs[key])


def parse(path) -> Collector:
    c = Collector()
    c.feed(path.read_text(encoding="utf-8"))
    return c


def test_seed_page_loads_nothing_remote(seeds_build):
    _, out = seeds_build
    page = parse(out / "graph.html")
    assert not [r for r in page.refs if r.startswith(("http://", "https://", "//"))]
    assert all("src" not in s for s in page.scripts)
    assert "vis.Network" in (out / "graph.html").read_text()


def test_planted_markup_in_titles_stays_text(tmp_path):
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)> "quotes" $\\frac{a}{b}$'
    f = tmp_path / "evil.jsonl"
    f.write_text(json.dumps({"title": "EvilNet: " + evil,
                             "abstract": "We propose EvilNet. EvilNet outperforms ResNet on CIFAR-10 by a wide margin."}) + "\n")
    build([f], tmp_path / "out")
    html = (tmp_path / "out" / "graph.html").read_text()
    page = parse(tmp_path / "out" / "graph.html")
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "img" not in page.tags
    assert len(page.scripts) == 3   # vis-network, the data island, our code
