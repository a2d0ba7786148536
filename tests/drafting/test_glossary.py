from __future__ import annotations

import json

import pytest

from drafting.glossary import Term, check, find
from drafting.text import Lang
from tests.helpers.corpus import CORPUS

RECOMMENDATION = json.loads(
    (CORPUS / "recommendation-climate-neutral-municipalities.json").read_text(encoding="utf-8")
)["paragraphs"]

TERMS = [
    Term("Kommune", "collectivité", "Oberbegriff"),
    Term("Kommune", "commune", "commune = nur die einzelne Gemeinde", false_friend=True),
    Term("Gemeinde", "commune"),
    Term("Klimaschutz", "protection du climat"),
    Term("Klimaneutralität", "neutralité carbone"),
    Term("Zuständigkeit", "compétence"),
    Term("grenzüberschreitende Zusammenarbeit", "coopération transfrontalière"),
    Term("erneuerbare Energien", "énergies renouvelables"),
    Term("Genossenschaft", "coopérative"),
    Term("Arbeitsgruppe", "groupe de travail"),
    Term("Klimanotstand", "urgence climatique"),
]


def paragraph(index: int) -> tuple[str, str]:
    return RECOMMENDATION[index]["de"], RECOMMENDATION[index]["fr"]


@pytest.mark.parametrize("word", ["Kommune", "Kommunen", "kommunalen", "Praxiskommunen", "KOMMUNE"])
def test_german_terms_match_case_endings_and_compounds(word: str) -> None:
    assert find(f"Die {word} handelt.", "Kommune", Lang.DE)


def test_german_term_matches_as_the_head_of_a_compound_only_when_long_enough() -> None:
    assert find("Bürgerenergiegenossenschaften stärken", "Genossenschaft", Lang.DE)
    assert not find("Der Reihenhausstaat", "Haus", Lang.DE)


def test_sharp_s_and_ss_are_the_same_letter() -> None:
    assert find("Die STRASSENBAHN fährt.", "Straßenbahn", Lang.DE)


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("les collectivités territoriales", "collectivité"),
        ("face à l'urgence climatique", "urgence climatique"),
        ("l’énergie citoyenne", "énergie citoyenne"),
        ("des régies municipales d'énergie", "régie municipale d'énergie"),
        ("les réseaux de chaleur", "réseau de chaleur"),
        ("les groupes de travail", "groupe de travail"),
        ("un droit à l'expérimentation", "droit à l'expérimentation"),
    ],
)
def test_french_terms_match_plurals_and_elision(text: str, term: str) -> None:
    assert find(text, term, Lang.FR)


def test_french_multi_word_term_needs_its_words_in_a_row() -> None:
    assert not find("le groupe a travaillé", "groupe de travail", Lang.FR)


def test_find_reports_where_the_term_stands() -> None:
    text = "De nombreuses collectivités ont déclaré l'urgence climatique"
    [(start, end)] = find(text, "urgence climatique", Lang.FR)
    assert text[start:end] == "urgence climatique"


def test_corpus_paragraph_with_matching_terms_gives_no_warning() -> None:
    de, fr = paragraph(4)  # Klimanotstand / urgence climatique, Kommunen / collectivités
    assert check(de, fr, TERMS) == []


def test_corpus_false_friend_kommune_commune_is_flagged_with_its_note() -> None:
    de, fr = paragraph(5)  # "Kleine und mittlere Kommunen" / "petites et moyennes communes"
    warnings = check(de, fr, TERMS)
    false_friends = [w for w in warnings if w.false_friend]
    assert len(false_friends) == 1
    assert false_friends[0].note == "commune = nur die einzelne Gemeinde"
    assert false_friends[0].found_de == "Kommunen" and false_friends[0].found_fr == "communes"
    assert any(w.term_fr == "collectivité" and w.missing_in is Lang.FR for w in warnings)


def test_corpus_term_without_its_counterpart_is_a_warning_on_the_other_side() -> None:
    de, fr = paragraph(12)  # "kommunalen Klimaschutz" / "l'action climatique"
    warnings = check(de, fr, TERMS)
    missing = [(w.term_de, w.missing_in) for w in warnings if not w.false_friend]
    assert ("Klimaschutz", Lang.FR) in missing


def test_corpus_compound_and_multi_word_terms_are_found_on_both_sides() -> None:
    de, fr = paragraph(10)
    flagged = {w.term_de for w in check(de, fr, TERMS)}
    assert not flagged & {"grenzüberschreitende Zusammenarbeit", "Zuständigkeit"}
    de, fr = paragraph(8)
    assert [w for w in check(de, fr, TERMS) if w.term_de == "Genossenschaft"] == []


def test_term_used_only_in_french_is_missing_in_german() -> None:
    warnings = check(
        "Die Arbeitsgruppe tagt.", "Le groupe de travail et la neutralité carbone.", TERMS
    )
    assert [(w.term_de, w.missing_in) for w in warnings] == [("Klimaneutralität", Lang.DE)]


def test_another_translation_of_the_same_word_satisfies_the_check() -> None:
    terms = [Term("Gemeinde", "commune"), Term("Gemeinde", "municipalité")]
    assert check("Die Gemeinde plant.", "La commune planifie.", terms) == []


def test_no_warnings_while_a_side_is_empty() -> None:
    assert check("Kommunen handeln.", "", TERMS) == []
