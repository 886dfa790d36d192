"""A deterministic SYNTHETIC corpus for benchmarks: real listing sentences, recombined, with
invented method and dataset names, written as JSON Lines that ``kg build`` reads.

Every record is labelled: ``"synthetic": true``, an id ``synthetic-0000042``, a title ending in
``[synthetic #42]``, and the files are named ``synthetic-<N>.jsonl``. None of it describes a real
paper.

How a paper is made (paper ``i``, its own random stream seeded with ``(seed, i)``):

- its primary method gets a fresh invented name, ``method_name(i)`` ("Zorakinet", "VelumFormer"),
  so the number of distinct methods grows with the corpus;
- the title is a seed title with that name before the colon: ``"<name>: <rest of a seed title>
  [synthetic #i]"``;
- the abstract recombines 5 to 9 sentences of the seed abstracts: a context sentence, a proposal
  sentence ("we propose …"), others, and a results sentence ("… outperforms …");
- in those sentences every name-shaped word (CamelCase, letters with digits, longer acronyms) is
  replaced, consistently within the paper: the seed paper's own method becomes this paper's
  primary method; other names are kept as written (well-known ones: ImageNet, ResNet, ViT, …) a
  third of the time and otherwise replaced by another paper's method (Zipf-like: early methods
  are cited most) or by an invented dataset from a pool that grows with ``i`` (datasets where
  the context says so: "on X", "X dataset").

Corpora are prefixes of each other: the first 10,000 records of the 1M corpus are the 10k corpus.
The output depends only on the seed listings, ``seed`` and this file, not on the extractors.

    python -m bench.synth 10000 -o /tmp/bench/synthetic-10k.jsonl
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent.parent / "examples" / "seeds"
VERSION = 2      # bump when the generator's output changes

# --------------------------------------------------------------------------- invented names

_ONSETS = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "gl", "kr", "pl",
           "qu", "sk", "st", "tr", "vr", "x", "j", "h", "w"]
_VOWELS = ["a", "e", "i", "o", "u", "ae", "io", "ou", "y"]
_METHOD_SUFFIXES = ["Net", "Former", "Mixer", "GAN", "Diff", "Flow", "Seg", "Det", "Fusion", "Mamba", "Former",
                    "Net", "Lite", "NeXt", "Match", "Track", "Gen", "Align", "Prompt", "Distill"]
_DATASET_SUFFIXES = ["Bench", "Set", "10K", "1M", "QA", "Scenes", "Vid", "Text", "Eval", "Arena", "3D", "Corpus"]


def _syllables(n: int, count: int) -> str:
    """``count`` pronounceable syllables spelling the integer ``n`` (a bijection per ``count``)."""
    parts = []
    base = len(_ONSETS) * len(_VOWELS)
    for _ in range(count):
        n, r = divmod(n, base)
        parts.append(_ONSETS[r % len(_ONSETS)] + _VOWELS[r // len(_ONSETS)])
    return "".join(parts)


_SPACE3 = 252 ** 3


def method_name(n: int) -> str:
    """The invented name of method ``n`` (distinct for distinct ``n``): "Kovaqu" + "Former"."""
    stem = _syllables(n * 1_000_003 % _SPACE3, 3) if n < _SPACE3 else _syllables(n, 4)   # spread, bijective
    return stem[:1].upper() + stem[1:] + _METHOD_SUFFIXES[(n * 7 + 3) % len(_METHOD_SUFFIXES)]


def dataset_name(n: int) -> str:
    """The invented name of dataset ``n``: "Tazo" + "Bench"."""
    stem = _syllables(n * 31 + 17, 2) if n < 2000 else _syllables(n * 7919 % _SPACE3, 3)
    return stem[:1].upper() + stem[1:] + _DATASET_SUFFIXES[(n * 5 + 1) % len(_DATASET_SUFFIXES)]


# --------------------------------------------------------------------------- seed sentences

# A name-shaped word: letters first, then letters, digits and joiners ("ImageNet-1K", "SeiT++").
_TOKEN = re.compile(r"(?<![\w+-])[A-Za-z][A-Za-z0-9]*(?:[-.'][A-Za-z0-9]+)*\+*(?![\w+])")
_KEEP = frozenset(w.casefold() for w in """
AP AP50 AP75 mAP mIoU IoU FLOPs GFLOPs MFLOPs MACs GMACs FPS PSNR SSIM LPIPS FID BLEU ROUGE WER CER EER AUC
ROC F1 GPU GPUs TPU TPUs CPU CPUs NPU V100 A100 H100 RTX SOTA SoTA SoA MAE MSE RMSE IoT NLP LiDAR RGB RGB-D
2D 3D 4D HD 4K COVID-19 URL API GitHub NeurIPS CVPR ICCV ECCV ICLR ICML AAAI arXiv NVIDIA PyTorch TensorFlow
top-1 top-5 Top-1 Top-5 ms GB MB TB
""".split())
_DATASET_CONTEXT_AFTER = re.compile(r"^\s*(?:dataset|datasets|data\s*set|benchmark|benchmarks|corpus|val|test|"
                                    r"validation|challenge)\b", re.IGNORECASE)
_DATASET_CONTEXT_BEFORE = re.compile(r"\b(?:on|across)\s+(?:the\s+)?$", re.IGNORECASE)
_PROPOSAL = re.compile(r"\b(?:we|this\s+paper|this\s+work)\s+(?:\w+\s+){0,2}?(?:propose|introduce|present)",
                       re.IGNORECASE)
_RESULT = re.compile(r"\b(?:outperform\w*|surpass\w*|better\s+than|superior\s+to|compared\s+(?:with|to)|"
                     r"state-of-the-art|achiev\w+)\b", re.IGNORECASE)
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"])")


_LATEX = re.compile(r"(?:approx|sim|times|pm|leq?|geq?|mathrm|textbf|mathbf)\d", re.IGNORECASE)


def is_name(word: str) -> bool:
    """CamelCase, letters with digits, ``++``, or an acronym of four or more capitals."""
    if word.casefold() in _KEEP or len(word) < 2 or _LATEX.match(word):
        return False
    if "++" in word:
        return True
    letters = [c for c in word if c.isalpha()]
    if any(c.isupper() for c in word[1:]):
        if all(c.isupper() for c in letters) and len(letters) <= 3:
            return False   # CNN, MLP, GAN: families and generic acronyms stay
        return not (word[:1].isupper() and "-" in word and all(p[1:].islower() for p in word.split("-") if p))
    return any(c.isdigit() for c in word) and word[0].isalpha()


@dataclass(frozen=True)
class SeedSentence:
    text: str
    own: str          # the seed paper's own name (title prefix), "" when it has none


@dataclass
class SeedPool:
    titles: list[str]          # the part of each seed title after its name, or the whole title
    sentences: list[SeedSentence]
    proposals: list[SeedSentence]
    results: list[SeedSentence]
    digest: str                # of the seed text: corpora from other seeds are other corpora


def load_seeds(paths: list[Path] | None = None) -> SeedPool:
    from kg.readers import read_papers
    from kg.records import Paper

    paths = sorted(paths or SEEDS_DIR.glob("*.txt"))
    if not paths:
        raise FileNotFoundError(f"no seed listings in {SEEDS_DIR}")
    seen: set[str] = set()
    titles, sentences = [], []
    h = hashlib.sha1()
    for path in paths:
        for p in read_papers(path):
            if not isinstance(p, Paper) or p.title in seen:
                continue
            seen.add(p.title)
            h.update(p.title.encode() + b"\0" + p.abstract.encode() + b"\0")
            own = ""
            if ":" in p.title:
                head, rest = p.title.split(":", 1)
                own = head.strip() if len(head.split()) <= 2 else ""
                titles.append(rest.strip())
            else:
                titles.append(p.title.strip())
            for s in _SPLIT.split(p.abstract):
                s = s.strip()
                if 40 <= len(s) <= 400:
                    sentences.append(SeedSentence(s, own))
    proposals = [s for s in sentences if _PROPOSAL.search(s.text)]
    results = [s for s in sentences if _RESULT.search(s.text)]
    return SeedPool(titles, sentences, proposals, results, h.hexdigest()[:12])


# --------------------------------------------------------------------------- papers

def _earlier_method(rng: random.Random, i: int) -> int:
    """Another paper's method, early (much cited) ones more often: Zipf-like over the first
    max(i, 1000) papers (so the first papers of a corpus cite a thousand others too)."""
    return int(max(i, 1000) * rng.random() ** 3)


def _dataset(rng: random.Random, i: int) -> int:
    """A dataset from a pool that grows with the corpus (about one new dataset per 25 papers)."""
    return int((40 + i // 25) * rng.random() ** 2)


def make_paper(pool: SeedPool, i: int, seed: int = 0) -> dict:
    rng = random.Random(f"kg-synthetic:{seed}:{i}")
    primary = method_name(i)
    mapping: dict[str, str] = {}

    def rename(sentence: SeedSentence) -> str:
        text = sentence.text

        def sub(m: re.Match) -> str:
            word = m.group()
            if not is_name(word):
                return word
            if word in mapping:
                return mapping[word]
            if sentence.own and word == sentence.own:
                new = primary
            elif rng.random() < 1 / 3:
                new = word                                   # a real name, kept
            elif (_DATASET_CONTEXT_AFTER.match(text, m.end()) or _DATASET_CONTEXT_BEFORE.search(text, 0, m.start())):
                new = dataset_name(_dataset(rng, i))
            elif rng.random() < 0.15:
                new = primary                                # "our X": the paper's own method again
            else:
                new = method_name(_earlier_method(rng, i))
            mapping[word] = new
            return new

        return _TOKEN.sub(sub, text)

    title = f"{primary}: {rng.choice(pool.titles)} [synthetic #{i}]"
    chosen = [rng.choice(pool.sentences), rng.choice(pool.proposals)]
    chosen += [rng.choice(pool.sentences) for _ in range(rng.randint(2, 6))]
    chosen.append(rng.choice(pool.results))
    abstract = " ".join(rename(s) for s in chosen)
    return {"id": f"synthetic-{i:07d}", "synthetic": True, "title": title, "abstract": abstract}


def generate(n: int, out: str | Path, seed: int = 0, seeds: list[Path] | None = None) -> Path:
    """Write the first ``n`` synthetic papers to ``out`` (JSON Lines); reuse an identical file.

    A sidecar ``<out>.meta.json`` records what made the file (n, seed, generator version, seed
    digest); when it matches, the file is not written again.
    """
    out = Path(out)
    pool = load_seeds(seeds)
    meta = {"n": n, "seed": seed, "version": VERSION, "seeds": pool.digest, "synthetic": True}
    meta_path = out.with_name(out.name + ".meta.json")
    try:
        if out.is_file() and json.loads(meta_path.read_text()) == meta:
            return out
    except (OSError, ValueError):
        pass
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        write = fh.write
        for i in range(n):
            write(json.dumps(make_paper(pool, i, seed), ensure_ascii=False))
            write("\n")
    tmp.replace(out)
    meta_path.write_text(json.dumps(meta))
    return out


def parse_size(text: str) -> int:
    """"10k" → 10000, "1M" → 1000000, "2500" → 2500."""
    t = text.strip().lower().replace("_", "")
    mult = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    return int(float(t[:-1] if mult > 1 else t) * mult)


def size_label(n: int) -> str:
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write a deterministic SYNTHETIC corpus (JSON Lines) for benchmarks.")
    ap.add_argument("n", help="number of papers: 10000, 10k, 1M")
    ap.add_argument("-o", "--out", default=None, help="output file (default: synthetic-<N>.jsonl here)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    n = parse_size(args.n)
    out = Path(args.out or f"synthetic-{size_label(n)}.jsonl")
    generate(n, out, args.seed)
    print(f"wrote {out} ({n} synthetic papers)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
