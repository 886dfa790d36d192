"""LaTeX in titles, abstracts and names, as arXiv and BibTeX write it, turned into plain Unicode.

Accents (``{\\"o}``, ``\\'e``, ``\\c{c}``, ``\\v s``), special letters (``\\ss``, ``\\o``, ``\\l``),
escaped characters (``\\&``, ``\\%``), font commands (``\\emph{x}``, ``{\\bf x}``) and grouping
braces are resolved outside math; math (``$...$``) is kept as written, since no plain-text form
of it is better than the source. Not a TeX engine: unknown commands are left in place.
"""
from __future__ import annotations

import re
import unicodedata

# Accent commands and the combining character each one puts on its letter.
_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
            ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
            "r": "\u030a", "d": "\u0323", "b": "\u0331", "t": "\u0361"}
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "l": "ł", "L": "Ł", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
            "aa": "å", "AA": "Å", "i": "ı", "j": "ȷ", "LaTeX": "LaTeX", "TeX": "TeX"}

# \"o  \"{o}  \" o (letter accents need a brace or a space: \v{s}, \v s)  \'{\i}
_SYMBOL_ACCENT = re.compile(r"""\\(['`^"~=.])\s*(?:\{\s*(\\[ij]|[A-Za-z])?\s*\}|(\\[ij](?![A-Za-z])|[A-Za-z]))""")
_LETTER_ACCENT = re.compile(r"\\([uvHckrdbt])(?:\s*\{\s*(\\[ij]|[A-Za-z])?\s*\}|\s+(\\[ij](?![A-Za-z])|[A-Za-z]))")
_LETTER = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|LaTeX|TeX|[oOlLij])(?:\{\}|\s+(?=[A-Za-z])|(?![A-Za-z]))")
_ESCAPE = re.compile(r"\\([&%$_#{}])")
_HREF = re.compile(r"\\href\s*\{[^{}]*\}\s*(?=\{)")
_FONT = re.compile(r"\\(?:emph|textbf|textit|texttt|textsc|textrm|textsf|textup|textmd|underline|mbox|text|url|nolinkurl)"
                   r"\s*(?=\{)"
                   r"|\\(?:em|bf|it|sc|rm|tt|sf|sl|upshape|bfseries|itshape|normalfont)\b\s*")
_MATH = re.compile(r"((?<!\\)\$\$?(?:[^$\\]|\\.)+?(?<!\\)\$\$?)")
_BIBTEX_TYPO = re.compile(r"~|--|``|''")


def _accented(match: re.Match) -> str:
    base = match.group(2) or match.group(3) or ""
    base = {"\\i": "i", "\\j": "j"}.get(base, base)
    return unicodedata.normalize("NFC", (base or " ") + _ACCENTS[match.group(1)]).strip()


def _text_part(text: str, bibtex: bool) -> str:
    if "\\" in text:   # commands: accents, letters, fonts, escapes (most text has none: skip the scans)
        # A tie before a command ("at~\\url{...}", "Fig.~\\ref{...}") is a space; elsewhere in arXiv
        # text "~" may be part of a URL, so only BibTeX turns every tie into a space (below).
        text = re.sub(r"(?<!\\)~(?=\\)", " ", text)
        text = _SYMBOL_ACCENT.sub(_accented, text)
        text = _LETTER_ACCENT.sub(_accented, text)
        text = _LETTER.sub(lambda m: _LETTERS[m.group(1)], text)
        text = _HREF.sub("", _FONT.sub("", text))   # \\href{url}{text} keeps its text, \\url{u} its URL
    if bibtex:
        # Ties and dashes are BibTeX typography; in arXiv text "--" may be a command-line flag.
        text = text.replace("---", "\u2014").replace("--", "\u2013").replace("``", "\u201c").replace("''", "\u201d")
        text = re.sub(r"(?<!\\)~", " ", text)
    if "{" in text or "}" in text:
        text = re.sub(r"(?<!\\)[{}]", "", text)   # grouping braces ({ResNet} keeps its case in BibTeX)
    return _ESCAPE.sub(r"\1", text) if "\\" in text else text


# Text markup, not math: a font command, an accent on a letter, an escaped character ("50\\%").
# Exports that are not LaTeX by nature (JSON from OpenReview, tables from reference managers fed
# by BibTeX) carry these; a lone backslash or math without dollars ("O(\\sqrt{T})") is no sign,
# nor an accent symbol before a space (TeX reads "\\" l" as an accented l, but in such text it
# is an escaped quote before a word).
_TEXT_MARKUP = re.compile(r"\\(?:emph|text(?:bf|it|tt|sc|rm|sf|up|md)?|underline|bf|it|em|sc|tt|url|href)\s*\{"
                          r"|\\(?:bf|it|em)\s|\\['`^\"~=.]\{?[A-Za-z]|\\[ckvuH]\{[A-Za-z]\}|\\[&%_#]")


def resolve_text_markup(text: str) -> str:
    """``text`` through :func:`latex_to_text` when it carries LaTeX text markup, else unchanged.

    >>> resolve_text_markup(r"We propose \\textbf{DyNet}, 3.2\\% better than Erd\\H{o}s")
    'We propose DyNet, 3.2% better than Erdős'
    >>> resolve_text_markup("sets {1, 2} and O(\\\\sqrt{T})")
    'sets {1, 2} and O(\\\\sqrt{T})'
    >>> resolve_text_markup('a quote \\\\" long enough')
    'a quote \\\\" long enough'
    """
    return latex_to_text(text) if "\\" in text and _TEXT_MARKUP.search(text) else text


def latex_to_text(text: str, *, bibtex: bool = False) -> str:
    """Plain Unicode text of a LaTeX-ish field, whitespace (line breaks included) collapsed.

    ``bibtex=True`` also resolves BibTeX typography: ``~`` ties, ``--``/``---`` dashes, quotes.

    >>> latex_to_text('Schr{\\\\"o}dinger and Erd\\\\H{o}s on $\\\\mathcal{O}(n)$\\n  {ResNet}s')
    'Schrödinger and Erdős on $\\\\mathcal{O}(n)$ ResNets'
    >>> latex_to_text("Fran\\\\c{c}ois, Ma{\\\\l}gorzata, {\\\\'{\\\\i}}ndice, 3--5~\\\\%", bibtex=True)
    'François, Małgorzata, índice, 3–5 %'
    """
    if "\\" not in text and "{" not in text and "}" not in text and not (bibtex and _BIBTEX_TYPO.search(text)):
        return " ".join(text.split())   # plain text, the common case: only the line breaks go
    parts = _MATH.split(text) if "$" in text else [text]
    out = [part if i % 2 else _text_part(part, bibtex) for i, part in enumerate(parts)]
    return " ".join("".join(out).split())
