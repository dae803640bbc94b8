"""lunr.js 2.3.9's Porter stemmer in Python, so the index holds the terms the page looks up.

lunr.py 0.8.0 ships another Porter stemmer (Martin Porter's original step 1c, and no
special case for a leading ``y``): it makes ``monei`` of "money", ``dai`` of "day",
``zelenskii`` of "Zelenskiy", where lunr.js, which stems the words typed on the search
page, makes ``money``, ``day``, ``zelenskiy``. Such a word could never be found. This is
lunr.js's regular-expression stemmer rule for rule; a test compares the two over
thousands of words under node.

JavaScript strings are UTF-16: a word with a character outside the Basic Multilingual
Plane is stemmed as its code units (``len`` and ``.`` count halves of a surrogate pair,
as in JavaScript) and put back together after.
"""

from __future__ import annotations

import re
from typing import Any

from lunr.token import Token

_STEP2 = {
    "ational": "ate",
    "tional": "tion",
    "enci": "ence",
    "anci": "ance",
    "izer": "ize",
    "bli": "ble",
    "alli": "al",
    "entli": "ent",
    "eli": "e",
    "ousli": "ous",
    "ization": "ize",
    "ation": "ate",
    "ator": "ate",
    "alism": "al",
    "iveness": "ive",
    "fulness": "ful",
    "ousness": "ous",
    "aliti": "al",
    "iviti": "ive",
    "biliti": "ble",
    "logi": "log",
}
_STEP3 = {
    "icate": "ic",
    "ative": "",
    "alize": "al",
    "iciti": "ic",
    "ical": "ic",
    "ful": "",
    "ness": "",
}
_c = "[^aeiou]"
_v = "[aeiouy]"
_C = _c + "[^aeiouy]*"
_V = _v + "[aeiou]*"
_MGR0 = re.compile("^(" + _C + ")?" + _V + _C)
_MEQ1 = re.compile("^(" + _C + ")?" + _V + _C + "(" + _V + ")?$")
_MGR1 = re.compile("^(" + _C + ")?" + _V + _C + _V + _C)
_S_V = re.compile("^(" + _C + ")?" + _v)
_1A = re.compile(r"^(.+?)(ss|i)es$", re.S)
_1A2 = re.compile(r"^(.+?)([^s])s$", re.S)
_1B = re.compile(r"^(.+?)eed$", re.S)
_1B2 = re.compile(r"^(.+?)(ed|ing)$", re.S)
_LAST = re.compile(r".$", re.S)
_1B_AT = re.compile(r"(at|bl|iz)$")
_1B_DOUBLE = re.compile(r"([^aeiouylsz])\1$")
_1B_CVC = re.compile("^" + _C + _v + "[^aeiouwxy]$")
_1C = re.compile(r"^(.+?[^aeiou])y$", re.S)
_2 = re.compile(r"^(.+?)(" + "|".join(_STEP2) + ")$", re.S)
_3 = re.compile(r"^(.+?)(" + "|".join(_STEP3) + ")$", re.S)
_4 = re.compile(
    r"^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$", re.S
)
_4B = re.compile(r"^(.+?)(s|t)(ion)$", re.S)
_5 = re.compile(r"^(.+?)e$", re.S)
_5_LL = re.compile(r"ll$")
_5_CVC = re.compile("^" + _C + _v + "[^aeiouwxy]$")


def _porter(w: str) -> str:
    """lunr.js's ``porterStemmer``, on a string of UTF-16 code units."""
    if len(w) < 3:
        return w
    first = w[0]
    if first == "y":
        w = "Y" + w[1:]
    # Step 1a
    if _1A.search(w):
        w = _1A.sub(r"\1\2", w)
    elif _1A2.search(w):
        w = _1A2.sub(r"\1\2", w)
    # Step 1b
    match = _1B.search(w)
    if match:
        if _MGR0.search(match.group(1)):
            w = _LAST.sub("", w, count=1)
    else:
        match = _1B2.search(w)
        if match and _S_V.search(match.group(1)):
            w = match.group(1)
            if _1B_AT.search(w):
                w += "e"
            elif _1B_DOUBLE.search(w):
                w = _LAST.sub("", w, count=1)
            elif _1B_CVC.search(w):
                w += "e"
    # Step 1c
    match = _1C.search(w)
    if match:
        w = match.group(1) + "i"
    # Step 2
    match = _2.search(w)
    if match and _MGR0.search(match.group(1)):
        w = match.group(1) + _STEP2[match.group(2)]
    # Step 3
    match = _3.search(w)
    if match and _MGR0.search(match.group(1)):
        w = match.group(1) + _STEP3[match.group(2)]
    # Step 4
    match = _4.search(w)
    if match:
        if _MGR1.search(match.group(1)):
            w = match.group(1)
    else:
        match = _4B.search(w)
        if match and _MGR1.search(match.group(1) + match.group(2)):
            w = match.group(1) + match.group(2)
    # Step 5
    match = _5.search(w)
    if match:
        stem = match.group(1)
        if _MGR1.search(stem) or (_MEQ1.search(stem) and not _5_CVC.search(stem)):
            w = stem
    if _5_LL.search(w) and _MGR1.search(w):
        w = _LAST.sub("", w, count=1)
    if first == "y":
        w = "y" + w[1:]
    return w


def stem_word(word: str) -> str:
    """The stem lunr.js 2.3.9 gives ``word``."""
    if all(ord(char) <= 0xFFFF for char in word):
        return _porter(word)
    units = word.encode("utf-16-le", "surrogatepass")
    as_units = "".join(
        chr(int.from_bytes(units[i : i + 2], "little")) for i in range(0, len(units), 2)
    )
    stemmed = _porter(as_units)
    return stemmed.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def js_stemmer(token: Token, i: Any = None, tokens: Any = None) -> Token:
    """Pipeline function: lunr.js's stemmer (serialised under lunr's own label)."""
    return token.update(lambda string, metadata=None: stem_word(string))


js_stemmer.label = "stemmer"  # type: ignore[attr-defined]
