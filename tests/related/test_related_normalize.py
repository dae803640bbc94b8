"""Title normalisation: typography differs, words do not."""

import pytest

from related.normalize import normalize_title, title_tokens

BASE = "Examplov Says Russia Will Defend Armenia if Conflict Spreads"


@pytest.mark.parametrize(
    "variant",
    [
        BASE,
        BASE.upper(),
        BASE.lower(),
        f"  {BASE.replace(' ', '  ')}  ",
        f"{BASE}.",
        f"{BASE}!",
        f"{BASE} \u2026",
        BASE.replace(" ", "\u00a0"),
    ],
)
def test_case_spacing_and_trailing_punctuation_vanish(variant: str) -> None:
    assert normalize_title(variant) == normalize_title(BASE)


def test_curly_and_straight_quotes_are_equal() -> None:
    straight = "Loremov's Team Calls Verdict 'Absurd'"
    curly = "Loremov\u2019s Team Calls Verdict \u2018Absurd\u2019"
    assert normalize_title(curly) == normalize_title(straight)
    assert normalize_title('He Said "No"') == normalize_title("He Said \u201cNo\u201d")


def test_en_dash_em_dash_and_hyphen_are_equal() -> None:
    hyphen = "Russia-Ukraine Talks Collapse - Again"
    assert normalize_title("Russia\u2013Ukraine Talks Collapse \u2014 Again") == (
        normalize_title(hyphen)
    )


def test_html_entities_including_double_escaping() -> None:
    plain = "Procter & Gamble Quits Russia's Market"
    for escaped in (
        "Procter &amp; Gamble Quits Russia&#39;s Market",
        "Procter &amp;amp; Gamble Quits Russia&rsquo;s Market",
    ):
        assert normalize_title(escaped) == normalize_title(plain)


def test_numbers_keep_their_meaning() -> None:
    assert normalize_title("Rate at 1.5%") != normalize_title("Rate at 15%")
    assert normalize_title("1,200 Killed") == normalize_title("1200 Killed")
    assert title_tokens("Inflation Hits 4.25%") == ["inflation", "hits", "4.25", "%"]
    assert normalize_title("Fined $5 Million") != normalize_title("Fined 5 Million")


def test_abbreviations_and_possessives() -> None:
    assert normalize_title("U.S. Sanctions") == normalize_title("US Sanctions")
    assert normalize_title("St. Petersburg") == normalize_title("St Petersburg")
    assert title_tokens("Sampleyeva's Party") == ["sampleyeva", "party"]
    assert title_tokens("Chancellery Won't Comment") == ["chancellery", "wont", "comment"]


def test_empty_and_punctuation_only_titles() -> None:
    assert normalize_title("") == ""
    assert normalize_title(" -- ... ") == ""
