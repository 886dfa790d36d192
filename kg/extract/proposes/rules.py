"""The proposal rules: where a paper names its own contribution:
- the title before a colon ("VOLO: Vision Outlooker for Visual Recognition" → VOLO);
- a proposal sentence ("we propose / present / introduce X", "this paper proposes X");
- a coined name ("called / named / termed / dubbed / coined X"), "Long Form (ABBR)" definitions;
- "our X" where X is a name.
The first of these is the paper's primary method; "our method" in other extractors resolves to it.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain

from kg.extract import Document
from kg.extract.names import (
    GENERIC_HEADS,
    GENERIC_MODIFIERS,
    NAME_CHARS,
    NOT_NAMES,
    STOPWORDS,
    WORD,
    acronym_letters,
    acronym_matches,
    alternation,
    compound_heads,
    is_namey,
    lexicon,
    spells,
    words,
)
from kg.extract.prefilter import prefilter
from kg.text import Caseless, Sentence

_PROPOSE_VERB = alternation("proposal_verbs")           # "we propose", "this paper presents"
_PROPOSE_GERUND = alternation("proposal_gerunds")       # "we address these issues by introducing …"
PROPOSER = Caseless.compile(
    r"\b(?:we|(?:this|the|our)\s+(?:paper|work|study|article|letter|project|research)|"
    r"in\s+this\s+(?:paper|work))\b[^.;]{0,40}?\b(?:" + _PROPOSE_VERB + r"(?:s|d|ed)?|" + _PROPOSE_GERUND
    + r")\b(?!\s+(?:up)?on\b)\s*(?:with\s+|here\s+)?",  # "builds upon X" uses X
)
# What every match of a pattern holds (kg.extract.prefilter): a sentence without it is not scanned.
PROPOSER_GATE = prefilter(PROPOSER.pattern)
# a second proposal verb in the same sentence: "we propose to incorporate two techniques and
# present ViT-ResNAS, an efficient …" (the proposer pattern matches the first verb only)
_AND_PROPOSE = re.compile(r"[^.;]*?(?:,\s*|\s)and\s+(?:then\s+|also\s+|further\s+|thus\s+)?" + _PROPOSE_VERB
                          + r"(?:s|d|ed)?\b(?!\s+(?:up)?on\b)\s*", re.IGNORECASE)
_EXTENDS = re.compile(r"\bwe\s+(?:further\s+)?(?:extend|augment|equip|enhance|improve)\b[^.;]{0,80}?\b"
                      r"(?:by|with)\s+(?:integrating|introducing|adding|incorporating)\b", re.IGNORECASE)
_EXTENDS_GATE = prefilter(_EXTENDS)
# "... (NTB) are respectively developed", "Next Hybrid Strategy (NHS) is designed to ..."
_PASSIVE_VERB = (r"(?:is|are)\s+(?:thus\s+|then\s+|hence\s+|respectively\s+|further\s+|also\s+|newly\s+)?"
                 + alternation("proposal_participles"))
_PASSIVE = re.compile(r"\b" + _PASSIVE_VERB + r"\b", re.IGNORECASE)
_PASSIVE_GATE = prefilter(_PASSIVE)
# ("named entity recognition": an adjective, no naming)
_COINED = re.compile(
    r"\b(?:called|named(?!\s+entit)|termed|dubbed|coined|denoted(?:\s+as)?|referred\s+to\s+as|abbreviated\s+as|"
    r"(?:which\s+|that\s+)?we\s+(?:will\s+|shall\s+|would\s+)?(?:call|name|term|dub|refer\s+to\s+as)|"
    # "We refer to our model as a neural statistician"
    r"refer\s+to\s+(?:it|them|(?:this|our|the)\s+(?:[\w-]+\s+){0,2}?[\w-]+)\s+as(?:\s+an?)?)"
    r"\s+(?:as\s+|it\s+)?(?:``|[\"“'‘])?"
    r"(?P<name>(?:[^,.;:()\"”’`]|\.(?=\d))+?)"      # ("FDNet1.0": a dot before a digit is the name's)
    r"(?:''|[\"”'’])?\s*(?=[,;:(]|\.(?!\d)|\s+(?:which|that|to|for|with|as|and(?!\s+(?-i:[A-Z]))|in|on|by|is|are|"
    r"was|achieves|has|have|can|could|will|may|uses|provides|allows|enables|outperforms|improves|"
    r"comprised|composed|consisting|consists|built|based|using|via|where|whose|respectively|from|,)\b|$)",
    re.IGNORECASE,
)
_COINED_GATE = prefilter(_COINED)
# The leading lookahead only restates what the pattern needs (a "(" reached through the
# characters of names and of the separators below); it lets the scan skip, without
# backtracking, positions that cannot match (6x faster on abstracts, same matches).
_DEFINITION_SOURCE = r"(?P<long>(?:" + WORD + r")(?:[\s-]+(?:" + WORD + r")){0,7})[\s~]*\((?P<short>[^()]{1,30})\)"
DEFINITION = re.compile(r"(?=[" + NAME_CHARS + r"\s~]*+\()" + _DEFINITION_SOURCE)
# definitions() scans faster, trying the pattern only where it can start (same matches)
_DEFINITION_BODY = re.compile(_DEFINITION_SOURCE)                         # without the lookahead
_DEFINITION_GAP = re.compile(r"[^" + NAME_CHARS + r"\s~]")                # what a match cannot span
_DEFINITION_CHUNK = re.compile(r"\S*[A-Za-z0-9]")                         # a chunk's first word character
_NOVEL_APPOSITION = re.compile(r"(?<![\w\-&+^./])(?P<name>" + WORD + r"),\s+(?:a|an)\s+(?:(?:set|family|series|class|suite)\s+of\s+)?"
                               r"(?:new|novel)\b")
_NOVEL_APPOSITION_GATE = prefilter(_NOVEL_APPOSITION)
# "our ViT-ResNAS", "the proposed MCW-Net", "Our model, ByteFormer,", "our method EViT", "our models
# (BigGANs)", "our fast text classifier fastText", "the resulting model RandFormer", "Our GC ViT",
# "the proposed Hyena N-D layer" (a name of two words at most, the second capitalised)
_OUR_KIND = r"(?:[a-z][\w-]*\s+){0,3}?" + alternation("own_kinds") + "s?"
_OUR_NAME = re.compile(r"\b(?:our|[Tt]he\s+proposed|(?:Our|[Tt]he\s+resulting)(?=\s+" + _OUR_KIND + r"\b))\s+"
                       r"(?:proposed\s+|novel\s+|new\s+)?(?P<kind>" + _OUR_KIND + r"(?:,?\s+|\s*\())?"
                       r"(?P<name>(?:" + WORD + r")(?:\s+(?=[A-Z])(?:" + WORD + r"))?)(?![\w\-+'’./])(?!\s+[A-Z])")
# "The ByteNet is a one-dimensional convolutional neural network ...": a sentence that opens by
# defining a name the vocabulary does not know
_DEFINED_HERE = re.compile(r"(?:The\s+)?(?P<name>" + WORD + r")\s+(?:is|are)\s+(?:a|an)\s+(?:[\w-]+\s+){0,5}?"
                           + alternation("defined_kinds") + r"s?\b")
# "our Past Decode Regularization (PDR) method", "our Spatial Pyramid Network (SPyNet)"
_OUR_DEFINED = re.compile(r"\b(?:[Oo]ur|[Tt]he\s+proposed)\s+(?:proposed\s+|novel\s+|new\s+)?"
                          r"(?P<long>(?:[A-Z][\w-]*\s+){1,6})\((?P<name>" + WORD + r")\)")
_OUR_NAME_GATE, _OUR_DEFINED_GATE = prefilter(_OUR_NAME), prefilter(_OUR_DEFINED)
_VERSION = re.compile(r"[Vv]\d+(?:\.\d+)?")
_TITLE_PREFIX = re.compile(r"^\s*(?P<name>[^:]{1,60}?)\s*:\s+\S")
_DATASET_WORDS = re.compile(r"\b(?:datasets?|data\s*sets?|benchmarks?|corpus|corpora|challenge|databases?|stream\s+of)\b",
                            re.IGNORECASE)
_ARTICLE = re.compile(r"^(?:(?:a|an|the|our|two|three|several|multiple)\s+)?"
                      r"(?:(?:novel|new|simple|simple\s+yet\s+\w+|general|generic|efficient|effective|"
                      r"lightweight|unified|powerful|strong|plug-and-play|end-to-end|flexible|versatile|"
                      r"principled|scalable|fast|straightforward|first|yet|and|,)\s+)*", re.IGNORECASE)
_STOP_AFTER = Caseless.compile(r"\s*(?:,|;|:|\.|\bto\b|\bthat\b|\bwhich\b|\bfor\b|\bwith\b|\bby\b|\bas\b|\bin\b|"
                              r"\bon\b|\bbased\b|\busing\b|\bwhere\b|\bwhose\b|\bfrom\b|\bis\b|\bthat\b|\bvia\b|$)")

# Patterns used inside the functions below, compiled once (re.match(source, …) looks its source
# up in re's cache on every call)
_SPACES = re.compile(r"\s+")
_HYPHENS = re.compile(r"-+")           # (names._PHRASE_SEP within a word, which holds no space)
_MODEL_WORD = re.compile(r"\bbaseline|\bmodel|\bnetwork|\bmethod", re.I)
_EXPANSION_END = re.compile(r"\s+(?:for|of|with|via|in|on|towards?|from|using|through)\s+")
_AND_VERB = re.compile(r"\s*and\s+\w+")
_AND_NAME = re.compile(r"\s*and\s+(" + WORD + r")")
_APPOSITIVE = re.compile(r"\s*,?\s*(?:(?:termed|called|named|dubbed|coined)\s+)?(?:as\s+)?(" + WORD + r")")
_NAMELY_NAME = re.compile(r"[^.;:]{0,60}?,\s*(?:namely|i\.e\.,?)\s+(" + WORD + r")\s*(?:[,.;:]|$)")
_BARE_TERM = re.compile(r"\s*(?P<np>[a-z][a-z-]*(?:\s+[a-z][a-z-]*){2,4})\s+(?:to|that|which|for)\b")
_ITEMS_END = re.compile(r",\s*(?:to|which|that|for|where|while)\b|\s+(?:to|which|that|for)\s")
_ITEM_SEP = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_ALNUM = re.compile(r"[A-Za-z0-9]+")
_OWNED = re.compile(r"(?:our|the|this|it)\b((?:\s+[a-z][\w-]*)*)\s*(?P<rest>.*)$")
_BASED_AFTER = re.compile(r"\s*-?\s*based\b", re.IGNORECASE)
_COINED_NEXT = re.compile(r"\s*,?\s*(?:called|named|termed|dubbed|coined)\b", re.IGNORECASE)
_AS_NAME = re.compile(r"\s+as\s+(" + WORD + r")")
_PAREN_NAME = re.compile(r"\s*\(([^()]{1,30})\)")
# (a second definition may stand between: "the Next Convolution Block (NCB) and Next Transformer
# Block (NTB) are respectively developed")
_HEAD_PROPOSED = re.compile(r"\s*(?:and\s+(?:the\s+)?[^()]{1,60}\([^()]{1,20}\)\s*)?(?:(\w+)\s+)?" + _PASSIVE_VERB,
                            re.IGNORECASE)


# Things a paper "presents" that are not methods (words of an article-less object phrase).
NOT_CONTRIBUTIONS = lexicon("not_contributions")


@dataclass
class Proposal:
    name: str
    aliases: list[str] = field(default_factory=list)
    sentence: Sentence | None = None
    confidence: float = 0.5
    origin: str = ""


def _clean(name: str) -> str:
    name = _SPACES.sub(" ", name).strip(" \t\"'“”‘’-,.")
    return name


def _name_ok(name: str, doc: Document, strong: bool) -> bool:
    """Reject empty, generic, or already-known-as-something-else names."""
    ws = words(name)
    if not ws or len(ws) > 8 or len(name) > 80:
        return False
    if all(w.lower() in STOPWORDS or w.lower() in GENERIC_HEADS for w in ws):
        return False
    known = doc.vocab.lookup(name)
    if known is not None and (known.kind == "dataset" or known.is_family):
        return False
    if known is not None and not strong:
        return False  # an existing method the paper uses, not its own contribution
    return True


def _title_name(doc: Document) -> Proposal | None:
    m = _TITLE_PREFIX.match(doc.title)
    if not m:
        return None
    prefix = _clean(m.group("name"))
    rest = doc.title[m.end() - 1:]
    if rest.rstrip().endswith("?"):
        return None  # "CNNtention: Can CNNs do better with Attention?" names a study, not a method
    if _DATASET_WORDS.search(rest) and not _MODEL_WORD.search(rest):
        return None  # "NEVIS'22: A Stream of 100 Tasks" / "VoxCeleb: a … dataset" name data, not methods
    ws = words(prefix)
    if not ws or len(ws) > 5:
        return None
    namey = [w for w in ws if is_namey(w)]
    if len(ws) >= 3:
        if len(namey) != 1:
            return None
        if _VERSION.fullmatch(namey[0]):
            if len(ws) > 4 or ws[-1] != namey[0]:
                return None
            # "Spike-driven Transformer V2": a version of a named model, the whole prefix names it
        else:
            prefix = namey[0]         # "Keep It SimPool" → SimPool
    elif not namey and (not all(w[:1].isupper() for w in ws)
                        or (len(ws) > 1 and ws[-1].lower() not in GENERIC_HEADS
                            and prefix.casefold() not in doc.folded_abstract)):
        return None   # a catchy prefix the abstract never uses ("Raw Instinct: Trust Your …") is no name
    if not _name_ok(prefix, doc, strong=True):
        return None
    proposal = Proposal(prefix, sentence=doc.title_sentence, confidence=0.95, origin="title")
    expansion = _EXPANSION_END.split(rest.strip(" :"), 1)[0]
    if len(words(prefix)) == 1 and acronym_matches(prefix, expansion):
        proposal.aliases.append(_clean(expansion))
    return proposal


_INTRODUCES_DATA = re.compile(
    r"^\s*(?:\([^()]*\)\s*)?,?\s*(?:(?:a|an|the)\s+)?(?:(?:new|novel|large-scale|challenging|public|"
    r"comprehensive|first|unified|diverse)\s+)*(?:[\w-]+\s+){0,2}?(?:dataset|benchmark|corpus|database|"
    r"data\s*set|test\s*bed|suite)\b", re.IGNORECASE)


def _np_after(text: str, unarticled: str | None = None) -> str:
    """The noun phrase a proposal verb introduces, without articles and trailing clauses
    (``unarticled``: ``_ARTICLE.sub("", text.lstrip())`` when the caller has it)."""
    text = _ARTICLE.sub("", text.lstrip()) if unarticled is None else unarticled
    stop = _STOP_AFTER.search(text)
    return text[: stop.start()] if stop else text


def _from_phrase(phrase: str, doc: Document, sentence: Sentence, strong: bool) -> Proposal | None:
    """A name in a proposal's object phrase: "SpaRTAN, a lightweight …", "a Spatial CNN (SCNN)"."""
    if _AND_VERB.match(phrase):
        return None  # "we design and optimize …": a second verb, not a name
    unarticled = _ARTICLE.sub("", phrase.lstrip())   # (once: three rules below read it)
    np = _np_after(phrase, unarticled)
    d = DEFINITION.match(unarticled)
    if d and _INTRODUCES_DATA.match(phrase[phrase.find(d.group(0)) + len(d.group(0)):]):
        return None  # a new dataset or benchmark, not a method
    if d and not _COINED.search(d.group("long")):   # "… called FooNet comprised of X (X)": the coined rule
        long_, short = _clean(d.group("long")), _clean(d.group("short"))
        long_ = trim_long(long_, short)
        if is_namey(short) and len(words(short)) == 1 and _name_ok(short, doc, strong):
            return Proposal(short, [long_] if long_ else [], sentence, 0.9, "definition")
    ws = words(np)
    if not ws:
        return None
    if is_namey(ws[0]) or (ws[0][:1].isupper() and len(ws) <= 3 and all(w[:1].isupper() for w in ws)):
        # leading capitalised/named words form the name ("Spatial CNN", "DiffDis", "Dual PatchNorm")
        name_words = []
        for w in ws:
            if is_namey(w) or w[:1].isupper():
                name_words.append(w)
            else:
                break
        coordinated = _AND_NAME.match(phrase[phrase.find(" ".join(name_words)) + len(" ".join(name_words)):]) if " ".join(name_words) in phrase else None
        if coordinated and is_namey(coordinated.group(1)) and _name_ok(coordinated.group(1), doc, strong):
            doc.cache.setdefault("coordinated", []).append(Proposal(coordinated.group(1), [], sentence, 0.85, "proposal"))
        name = " ".join(name_words)
        tail = ws[len(name_words):]
        aliases: list[str] = []
        if len(tail) >= 3 and tail[0] == "or" and all(w[:1].isupper() for w in tail[1:]):
            aliases, tail = [" ".join(tail[1:])], []   # "ECO-M2F or EffiCient TransfOrmer Encoders"
        elif len(tail) == 2 and tail[0] == "and" and is_namey(tail[1]):
            tail = []   # "TokenAdapt and ColorAdapt": the second name is recorded above
        if tail:
            if len(tail) == 1 and tail[0].lower() in GENERIC_HEADS and doc.vocab.lookup(name) is not None:
                if _COINED_NEXT.match(phrase, phrase.find(tail[0]) + len(tail[0])):
                    return None   # "a simple KD method, called ScaleKD": the coined rule names it
                name = f"{name} {tail[0]}"   # "an efficient KAN block": the block is new, KAN is not
            elif len(tail) > 1 or tail[0].lower() not in GENERIC_HEADS:
                return None  # "a novel BEV instance prediction architecture" describes, it does not name
        after = phrase[phrase.find(name) + len(name):] if name in phrase else ""
        if _INTRODUCES_DATA.match(after) or _BASED_AFTER.match(after):
            return None   # (a new dataset; "a Tensorflow/Keras based library": what it is built on)
        if _name_ok(name, doc, strong):
            return Proposal(name, aliases, sentence, 0.9, "proposal")
    # a coined lowercase term: at least two specific modifiers before a generic head noun,
    # unless the sentence gives the contribution a real name ("a … framework, ED-ViT")
    lowered = [w.lower() for w in ws]
    appositive = _APPOSITIVE.match(unarticled[len(np):])
    if _COINED.search(phrase[len(np):len(np) + 80]):
        return None  # "an early exiting framework for ViTs termed LGViT": the coined rule names it
    if appositive and is_namey(appositive.group(1)):
        name = appositive.group(1)
        return Proposal(name, [], sentence, 0.85, "appositive") if _name_ok(name, doc, strong) else None
    namely = _NAMELY_NAME.match(unarticled[len(np):])
    if namely and is_namey(namely.group(1)) and _name_ok(namely.group(1), doc, strong):
        # "a generic self-slimmed learning approach for vanilla ViTs, namely SiT"
        return Proposal(namely.group(1), [], sentence, 0.85, "appositive")
    if 3 <= len(ws) <= 6 and lowered[-1] in GENERIC_HEADS | {"algorithm", "keying", "sampling", "strategy"}:
        core = ws[:-1] if lowered[-1] in GENERIC_HEADS else ws
        specific = [w for w in core if w.lower() not in STOPWORDS]
        known = {w: doc.vocab.lookup(w) for w in core}
        generic = [w for w in core if w.lower() in GENERIC_MODIFIERS or (known[w] and known[w].area == "technique")]
        if (any(c and c.area != "technique" for c in known.values()) or doc.vocab.lookup(" ".join(core))
                or len(core) > 4
                or len(generic) > 1 or (generic and (len(core) < 2 or lowered[-1] not in GENERIC_HEADS
                                                     or generic[0] != core[-1] or not known[core[-1]]))
                or {"and", "of", "the", "for", "to", "with", "in", "on", "version"} & set(lowered)):
            # "self-supervised CNN pre-training", "two-stage training": generic, not coined; a known
            # technique qualified before an explicit head is coined ("a class-wise pruning technique")
            return None
        if len(specific) >= 2 and _name_ok(" ".join(core), doc, False):
            return Proposal(" ".join(core), [" ".join(ws)] if core != ws else [], sentence, 0.6, "coined-term")
    of_term = re.match(r"\s*(?:(?:a|an|the)\s+)?(?:(?:new|novel|simple|effective)\s+)*(?:method|approach|technique|"
                       r"mechanism|scheme|strategy)\s+(?:of|for)\s+(?P<np>[a-z][a-z-]*(?:\s+[a-z][a-z-]*){1,3})\b"
                       r"(?=\s+(?:that|which|to|for|in|on|by|with)\b|\s*[,.;]|$)", phrase)
    if of_term and _in_title(of_term.group("np"), doc) and doc.title.lower().find(of_term.group("np")) >= 0:
        # "a new method of feature drift compensation that …", the title naming the term
        name = of_term.group("np")
        if not doc.vocab.lookup(name) and _name_ok(name, doc, False):
            return Proposal(name, [], sentence, 0.7, "title-term")
    bare = _BARE_TERM.match(phrase)
    if bare and not any(w in STOPWORDS or w in NOT_CONTRIBUTIONS for w in bare.group("np").split()):
        # an article-less coined term: "we propose multi-stage hidden state fusion to …"
        name = bare.group("np")
        if _name_ok(name, doc, False) and not doc.vocab.lookup(name):
            return Proposal(name, [], sentence, 0.6, "coined-term")
    if 2 <= len(ws) <= 3 and lowered[-1] not in GENERIC_HEADS and not any(w in STOPWORDS for w in lowered):
        if _name_ok(np, doc, False) and doc.title.lower().find(np.lower()) >= 0:
            return Proposal(_clean(np), [], sentence, 0.6, "title-term")
    return None


_LIST = re.compile(
    r"^(?:(?:two|three|four|several|multiple)\s+)?(?:(?:novel|new|key|simple|effective)\s+)*"
    r"(?:[\w-]+\s+){0,2}?(?:techniques|modules|components|strategies|methods|blocks|heads|losses|"
    r"mechanisms|designs|schemes)\s*(?:,?\s*namely\s*,?|:)\s*"
    r"(?P<items>[^.;()]{3,160})", re.IGNORECASE)
_NAMELY = re.compile(r"\bnamely\s*,?\s*(?P<items>[^.;()]{3,160})", re.IGNORECASE)


def _listed_items(phrase: str) -> list[str]:
    """"two novel sampling techniques: A and B" / "…, namely, A and B" → [A, B]."""
    m = _LIST.match(_ARTICLE.sub("", phrase.lstrip())) or _NAMELY.search(phrase)
    if not m:
        return []
    items_text = _ITEMS_END.split(m.group("items"))[0]
    items = [i.strip() for i in _ITEM_SEP.split(items_text) if i.strip()]
    if len(items) < 2 or any(len(words(i)) > 5 or len(words(i)) == 0 for i in items):
        return []
    return [_clean(i) for i in items]


_NEW_BEFORE = re.compile(r"\b(?:our|novel|new|proposed|dubbed|called|named(?!\s+entit)|termed)\b[\w\s-]{0,30}$",
                         re.IGNORECASE)


def _in_title(phrase: str, doc: Document) -> bool:
    """Whether at least two content words of ``phrase`` occur in the title (a contribution the
    title names; an existing technique merely defined in passing does not)."""
    title = {w.casefold() for w in _ALNUM.findall(doc.title)}
    content = [w for w in _ALNUM.findall(phrase.casefold()) if w not in STOPWORDS]
    return len(content) >= 2 and sum(w in title for w in content) >= 2


def _announced(text: str, d: re.Match, long_: str) -> bool:
    """Whether "new / proposed / called …" stands just before definition ``d`` or before its
    trimmed long form ``long_`` ("called VoVNet comprised of One-Shot Aggregation (OSA)")."""
    starts = {d.start(), text.rfind(long_, d.start(), d.end())} - {-1}
    return any(_NEW_BEFORE.search(text[max(0, at - 40):at]) for at in starts)


def trim_long(long_: str, short: str) -> str:
    """Keep the words of ``long_`` that the acronym ``short`` spells (longest such tail)."""
    # acronym_matches(short, " ".join(ws[-k:])) for each k, the acronym's letters and each
    # word's parts worked out once (the words hold no space: the tail's parts are theirs)
    ws = long_.split()
    letters = acronym_letters(short)
    if not letters:
        return ""
    pieces = [[p.lower() for p in _HYPHENS.split(w) if p] for w in ws]
    for k in range(len(ws), 0, -1):
        if ws[-k].lower() not in STOPWORDS:
            parts = list(chain.from_iterable(pieces[-k:]))
            if parts and short.lower() not in parts and spells(letters, parts):
                return " ".join(ws[-k:])
            heads = compound_heads(ws[-k:]) if len(short.split()) < k else None   # (as acronym_matches)
            if heads and short.lower() not in parts and spells(letters, heads):
                return " ".join(ws[-k:])
    return ""


def definitions(text: str) -> Iterator[re.Match[str]]:
    """Every "Long Form (SHORT)" in ``text``: the matches of ``DEFINITION.finditer(text)``.

    That scan tries every position of the sentence, and from each one reads on to the next
    character that cannot be in a long form (~100 µs a sentence with a bracket). A match starts
    in the run of such characters just before a "(", and among the last eight chunks of that run
    that hold a letter or digit (a long form is at most eight words, none holding a space); only
    there is the pattern tried.
    """
    if "(" not in text:
        return
    done = 0                          # where the previous match ended: the next starts there or later
    bracket = text.find("(")
    while bracket >= 0:
        run = done
        for gap in _DEFINITION_GAP.finditer(text, done, bracket):
            run = gap.end()
        chunks = [c.start() for c in _DEFINITION_CHUNK.finditer(text, run, bracket)]
        start = chunks[-8] if len(chunks) >= 8 else run
        m = _DEFINITION_BODY.search(text, start, bracket + 32)   # "(" + 30 characters + ")"
        if m is not None and m.start() < bracket:
            yield m
            done = m.end()
            bracket = text.find("(", done)
        else:
            bracket = text.find("(", bracket + 1)


def rule_proposals(doc: Document) -> list[Proposal]:
    """Every named contribution the rules find, primary first. Cached on the document."""
    if "rule_proposals" in doc.cache:
        return doc.cache["rule_proposals"]
    found: list[Proposal] = []
    title = _title_name(doc)
    if title:
        found.append(title)
    for sentence in doc.abstract_sentences:
        text = sentence.text
        low = text.lower()
        heads = doc.word_heads(text)
        proposer_hits = list(PROPOSER.finditer(text, low)) if PROPOSER_GATE.admits(heads, text, low) else []
        for m in proposer_hits:
            p = _from_phrase(text[m.end():], doc, sentence, strong=True)
            if p:
                found.append(p)
            elif (second := _AND_PROPOSE.match(text, m.end())) and (p := _from_phrase(text[second.end():], doc,
                                                                                      sentence, strong=True)):
                found.append(p)
            for item in _listed_items(text[m.end():]):
                if _name_ok(item, doc, strong=False):
                    found.append(Proposal(item, [], sentence, 0.7, "listed"))
        parts: list[Proposal] = []   # after the sentence's coined names: "called VoVNet comprised of … (OSA)"
        if proposer_hits or (_EXTENDS_GATE.admits(heads, text, low) and _EXTENDS.search(text)):
            # "Long Form (ABBR)" defined in a proposal sentence names a part of the contribution
            # ("… built on hidden state mixer-based state space duality (HSM-SSD)")
            for d in definitions(text):
                short = _clean(d.group("short"))
                long_ = trim_long(_clean(d.group("long")), short)
                if (long_ and is_namey(short) and len(words(short)) == 1 and not doc.vocab.lookup(long_)
                        and short.casefold() not in NOT_NAMES
                        and (_in_title(long_, doc) or _announced(text, d, long_))
                        and not _INTRODUCES_DATA.match(text[d.end():]) and _name_ok(short, doc, strong=False)):
                    parts.append(Proposal(short, [long_], sentence, 0.7, "definition"))
        for m in (_COINED.finditer(text)
                  if _COINED_GATE.admits(heads, text, low) else ()):
            name = _clean(m.group("name"))
            rest = text[m.end():]
            owned = _OWNED.match(name)
            if owned:
                # "We call our model Sliced Recursive Transformer (SReT)" / "We call our … approach as MixPath"
                later = _AS_NAME.match(rest)
                name = owned.group("rest") or (later.group(1) if later else "")
                if len(words(name)) > 1 and is_namey(words(name)[-1]):
                    name = words(name)[-1]     # "this … ViT paradigm IML-ViT"
                if later and not owned.group("rest"):
                    rest = rest[later.end():]
                if not name:
                    continue
            paren = _PAREN_NAME.match(rest)
            aliases = []
            long_def = DEFINITION.match(text[m.start("name"):])
            if paren and is_namey(paren.group(1)):
                aliases, name = [name], _clean(paren.group(1))
            elif (long_def and is_namey(long_def.group("short")) and len(words(long_def.group("long"))) <= 8
                  and not (len(words(name)) == 1 and is_namey(name))):
                # (a name that is already one namey word keeps it: "called VoVNet comprised of
                # One-Shot Aggregation (OSA)" names VoVNet, OSA being its part)
                # "termed Mathematical Architecture Design for Deep CNN (DeepMAD)"
                aliases, name = [_clean(long_def.group("long"))], _clean(long_def.group("short"))
            if (len(words(name)) == 1 and not is_namey(name) and name.islower()
                    and name.casefold() not in {w.casefold() for w in words(doc.title)}):
                continue  # "subnetworks, named columns": a part's label, not a contribution's name
            if len(words(name)) <= 6 and _name_ok(name, doc, strong=True):
                found.append(Proposal(name, aliases, sentence, 0.85, "coined"))
        found.extend(parts)
        if _PASSIVE_GATE.admits(heads, text, low) and _PASSIVE.search(text):
            for d in definitions(text):
                after = text[d.end():d.end() + 120]
                head = _HEAD_PROPOSED.match(after)
                if not head or (head.group(1) and head.group(1).lower() not in GENERIC_HEADS):
                    continue  # "a … programming (MP) problem is proposed": not the contribution's name
                short = _clean(d.group("short"))
                if is_namey(short) and len(words(short)) == 1 and _name_ok(short, doc, strong=False):
                    found.append(Proposal(short, [trim_long(_clean(d.group("long")), short)], sentence,
                                          0.8, "definition"))
        for m in _NOVEL_APPOSITION.finditer(text) if _NOVEL_APPOSITION_GATE.admits(heads, text, low) else ():
            name = m.group("name")
            if is_namey(name) and _name_ok(name, doc, strong=False):
                found.append(Proposal(name, [], sentence, 0.75, "apposition"))
        defined = _DEFINED_HERE.match(text)
        if defined and is_namey(defined.group("name")) and _name_ok(defined.group("name"), doc, strong=False):
            found.append(Proposal(defined.group("name"), [], sentence, 0.7, "defined"))
        for m in _OUR_DEFINED.finditer(text) if _OUR_DEFINED_GATE.admits(heads, text, low) else ():
            name = m.group("name")
            if is_namey(name) and _name_ok(name, doc, strong=False):
                found.append(Proposal(name, [trim_long(_clean(m.group("long")), name)], sentence, 0.8, "our-name"))
        for m in _OUR_NAME.finditer(text) if _OUR_NAME_GATE.admits(heads, text, low) else ():
            name = m.group("name")
            # ("our text classifier fastText", "the proposed GC ViT" are the paper's own even if the
            # vocabulary knows them; a bare "our ResNet-50" may be a baseline)
            strong = m.group("kind") is not None or not m.group(0).startswith(("our", "Our"))
            first, *second = name.split()
            if ((is_namey(first) if not second else first[:1].isupper() and any(map(is_namey, (first, *second))))
                    and _name_ok(name, doc, strong=strong)):
                found.append(Proposal(name, [], sentence, 0.7, "our-name"))
    found.extend(doc.cache.pop("coordinated", []))
    merged = _title_as_alias(_merge(found), doc)
    doc.cache["rule_proposals"] = merged
    return merged


def _title_as_alias(found: list[Proposal], doc: Document) -> list[Proposal]:
    """A title's name the abstract never uses is another name of the contribution the abstract
    names first ("Spike-driven Transformer V2: …" / "we propose …, termed Meta-SpikeFormer")."""
    if len(found) < 2 or found[0].origin != "title":
        return found
    title = found[0]
    abstract = doc.folded_abstract
    if any(n.casefold() in abstract for n in (title.name, *title.aliases)):
        return found
    named = next((p for p in found[1:] if p.origin == "coined"), None)   # "…, termed Meta-SpikeFormer"
    if named is None:
        return found
    named.aliases.extend(n for n in (title.name, *title.aliases) if n not in named.aliases)
    named.confidence = max(named.confidence, title.confidence)
    return [named] + [p for p in found[1:] if p is not named]


def _merge(found: list[Proposal]) -> list[Proposal]:
    """One proposal per name; aliases and the best confidence kept, order of first mention."""
    out: list[Proposal] = []
    for p in found:
        keys = {k.casefold() for k in (p.name, *p.aliases)}
        for q in out:
            qkeys = {k.casefold() for k in (q.name, *q.aliases)}
            multiword = len(p.name.split()) > 1 or len(q.name.split()) > 1
            variant = is_namey(q.name) and " " not in p.name and p.name.casefold().startswith(q.name.casefold() + "-")
            if (keys & qkeys or variant
                    or (multiword and (acronym_matches(q.name, p.name) or acronym_matches(p.name, q.name)))):
                for a in (p.name, *p.aliases):
                    if a.casefold() not in {k.casefold() for k in (q.name, *q.aliases)}:
                        q.aliases.append(a)
                q.confidence = max(q.confidence, p.confidence)
                break
        else:
            out.append(Proposal(p.name, list(p.aliases), p.sentence, p.confidence, p.origin))
    # Several mentions raise confidence in a weak (coined-term) proposal.
    return out
