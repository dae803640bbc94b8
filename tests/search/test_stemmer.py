"""The index's stemmer is lunr.js's, word for word (lunr.py's differs: "money" -> "monei")."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from lunr.stemmer import stemmer as lunr_py_stemmer
from lunr.token import Token

from lunr_search.stemmer import stem_word
from tests.search.synthetic import EXOTIC, NEWS, ROOT, SYLLABLES

LUNR_JS = ROOT / "node_modules" / "lunr" / "lunr.min.js"
SPECIAL = [
    "money",
    "day",
    "today",
    "key",
    "sky",
    "zelenskiy",
    "dmitriy",
    "yury",
    "boys",
    "y",
    "yy",
    "yyy",
    "yes",
    "young",
    "yelled",
    "ying",
    "agreed",
    "feed",
    "hopping",
    "filing",
    "sized",
    "conditional",
    "rational",
    "valenci",
    "digitizer",
    "abli",
    "radically",
    "differently",
    "vileli",
    "analogousli",
    "vietnamization",
    "predication",
    "operator",
    "feudalism",
    "decisiveness",
    "hopefulness",
    "callousness",
    "formaliti",
    "sensitiviti",
    "sensibiliti",
    "triplicate",
    "formative",
    "formalize",
    "electriciti",
    "electrical",
    "hopeful",
    "goodness",
    "revival",
    "allowance",
    "inference",
    "airliner",
    "gyroscopic",
    "adjustable",
    "defensible",
    "irritant",
    "replacement",
    "adjustment",
    "dependent",
    "adoption",
    "homologou",
    "communism",
    "activate",
    "angulariti",
    "homologous",
    "effective",
    "bowdlerize",
    "probate",
    "rate",
    "cease",
    "controll",
    "roll",
    "caresses",
    "ponies",
    "ties",
    "caress",
    "cats",
    "agreed",
    "plastered",
    "bled",
    "motoring",
    "sing",
    "conflated",
    "troubled",
    "sized",
    "hopping",
    "tanned",
    "falling",
    "hissing",
    "fizzed",
    "failing",
    "filing",
    "happy",
    "x😀yes",
    "😀ying",
    "naïvely",
    "müller's",
    "ünited",
    "1990s",
    "covid-19",
    "",
]


def _words() -> list[str]:
    from tests.search.synthetic import synthetic_inputs

    words = set(SPECIAL) | set(NEWS) | set(EXOTIC)
    words |= {a + b + c for a in SYLLABLES for b in SYLLABLES for c in ("y", "ies", "ed", "ing")}
    for item in synthetic_inputs(60):
        words.update(item.body.lower().split())
    # the generator's word lists: names, places, news words
    for path in (ROOT / "tools" / "generate" / "words").glob("*.txt"):
        words.update(path.read_text("utf-8").lower().split())
    return sorted(words)


def test_the_stems_are_lunr_js_stems(tmp_path) -> None:
    node = shutil.which("node")
    if node is None or not LUNR_JS.is_file():
        pytest.skip("node and node_modules/lunr are needed to run lunr.js")
    words = _words()
    source = tmp_path / "words.json"
    source.write_text(json.dumps(words), "utf-8")
    script = (
        "const lunr = require(process.argv[1]);"
        "const words = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));"
        "process.stdout.write(JSON.stringify(words.map("
        "(w) => lunr.stemmer(new lunr.Token(w, {})).toString())));"
    )
    completed = subprocess.run(
        [node, "-e", script, str(LUNR_JS), str(source)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    expected = json.loads(completed.stdout)
    assert len(words) > 2000
    assert [stem_word(w) for w in words] == expected
    # and lunr.py's own stemmer is the reason for this module
    differ = [
        w
        for w in ("money", "day", "zelenskiy", "sky")
        if str(lunr_py_stemmer(Token(w, {}))) != stem_word(w)
    ]
    assert differ == ["money", "day", "zelenskiy", "sky"]
