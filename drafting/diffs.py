"""Word-level diffs.

diff-match-patch works on characters; we apply its "line mode" trick to words: every
distinct token (a word, a run of white space, or a single other grapheme cluster) is mapped
to one private character, the encoded strings are diffed, and the result is decoded. Tokens
are made of whole grapheme clusters, so a diff never splits an emoji sequence or a letter
from its combining mark. This is the only module that imports diff-match-patch.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Literal

import regex
from diff_match_patch import diff_match_patch

Op = Literal[-1, 0, 1]
DiffOps = list[tuple[Op, str]]

DELETE: Op = -1
EQUAL: Op = 0
INSERT: Op = 1

# A word is a run of grapheme clusters that start with a word character (letters with
# their combining marks, digits, underscore); white space runs stay together (as whole
# clusters too, so a stray combining mark after a space stays with it); anything else
# (punctuation, emoji, symbols) is one grapheme cluster per token.
_TOKEN = regex.compile(r"(?:(?=\w)\X)+|(?:(?=\s)\X)+|\X")

_FIRST_CODE = 0x100  # keep clear of ASCII so diff-match-patch's cleanups see no line ends


def tokenize(text: str) -> list[str]:
    """Split ``text`` (already NFC) into word, white-space and single-grapheme tokens."""
    return _TOKEN.findall(text)


def _code_point(index: int) -> str:
    code = _FIRST_CODE + index
    if code >= 0xD800:  # skip the surrogate block, which cannot stand in a str
        code += 0x800
    return chr(code)


def _encode(
    token_lists: Sequence[list[str]],
) -> tuple[list[str], list[str]]:
    codes: dict[str, str] = {}
    vocabulary: list[str] = []
    encoded: list[str] = []
    for tokens in token_lists:
        chars = []
        for token in tokens:
            code = codes.get(token)
            if code is None:
                code = _code_point(len(vocabulary))
                codes[token] = code
                vocabulary.append(token)
            chars.append(code)
        encoded.append("".join(chars))
    return encoded, vocabulary


def _decode_index(char: str) -> int:
    code = ord(char)
    if code >= 0xE000:
        code -= 0x800
    return code - _FIRST_CODE


def token_diff(old: Sequence[str], new: Sequence[str]) -> list[tuple[Op, list[str]]]:
    """Diff two token sequences; each op carries the tokens it covers."""
    (old_encoded, new_encoded), vocabulary = _encode([list(old), list(new)])
    engine = diff_match_patch()
    engine.Diff_Timeout = 0  # deterministic: the same inputs always give the same diff
    raw = engine.diff_main(old_encoded, new_encoded, False)
    engine.diff_cleanupSemantic(raw)
    result: list[tuple[Op, list[str]]] = []
    for op, chars in raw:
        tokens = [vocabulary[_decode_index(c)] for c in chars]
        if result and result[-1][0] == op:
            result[-1][1].extend(tokens)
        elif tokens:
            result.append((op, tokens))
    return result


def word_diff(old: str, new: str) -> DiffOps:
    """Word-level diff of two texts as ``[(op, text), …]`` with op in -1, 0, 1.

    Both texts are normalised to NFC first, so that a precomposed and a decomposed umlaut
    count as the same letter.
    """
    old = unicodedata.normalize("NFC", old)
    new = unicodedata.normalize("NFC", new)
    if old == new:
        return [(EQUAL, old)] if old else []
    return [(op, "".join(tokens)) for op, tokens in token_diff(tokenize(old), tokenize(new))]


def changed(ops: DiffOps) -> bool:
    return any(op != EQUAL for op, _ in ops)


def old_text(ops: DiffOps) -> str:
    return "".join(text for op, text in ops if op != INSERT)


def new_text(ops: DiffOps) -> str:
    return "".join(text for op, text in ops if op != DELETE)
