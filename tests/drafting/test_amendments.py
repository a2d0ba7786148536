"""Keeping an amendment in step with its paragraph: rebase, obsolete, merge several."""

from __future__ import annotations

from drafting.amendments import (
    RebaseState,
    Side,
    merge_several,
    rebase,
    rebase_side,
    touched_languages,
    untouched_language,
)

BASE = "Die Kommunen sollen Wärmepläne erstellen. Das Land fördert die Planung."


def test_an_amendment_on_the_current_revision_stays_as_written() -> None:
    proposed = BASE.replace("sollen", "müssen")
    result = rebase({"de": Side(BASE, BASE, proposed, base_is_current=True)})
    assert result.state is RebaseState.CLEAN
    assert result.sides["de"].text == proposed
    assert not result.sides["de"].moved


def test_a_change_elsewhere_in_the_paragraph_is_merged_into_the_amendment() -> None:
    current = BASE.replace("fördert", "finanziert")
    proposed = BASE.replace("sollen", "müssen")
    result = rebase({"de": Side(BASE, current, proposed, base_is_current=False)})
    assert result.state is RebaseState.CLEAN
    assert result.sides["de"].moved
    assert result.sides["de"].text == (
        "Die Kommunen müssen Wärmepläne erstellen. Das Land finanziert die Planung."
    )


def test_a_change_in_the_same_place_makes_the_amendment_need_a_rebase() -> None:
    current = BASE.replace("sollen", "können")
    proposed = BASE.replace("sollen", "müssen")
    result = rebase({"de": Side(BASE, current, proposed, base_is_current=False)})
    assert result.state is RebaseState.NEEDS_REBASE
    side = result.sides["de"]
    assert not side.clean and not side.moved
    assert [(c.theirs, c.yours) for c in side.conflicts] == [("können", "müssen")]


def test_an_amendment_whose_change_was_made_meanwhile_is_obsolete() -> None:
    proposed = BASE.replace("sollen", "müssen")
    result = rebase({"de": Side(BASE, proposed, proposed, base_is_current=False)})
    assert result.state is RebaseState.OBSOLETE


def test_one_conflicting_language_makes_the_whole_amendment_need_a_rebase() -> None:
    fr_base = "Les communes doivent planifier la chaleur."
    result = rebase(
        {
            "de": Side(BASE, BASE, BASE.replace("sollen", "müssen"), base_is_current=True),
            "fr": Side(
                fr_base,
                fr_base.replace("doivent", "peuvent"),
                fr_base.replace("doivent", "devront"),
                base_is_current=False,
            ),
        }
    )
    assert result.state is RebaseState.NEEDS_REBASE
    assert result.sides["de"].clean
    assert not result.sides["fr"].clean


def test_a_language_the_amendment_leaves_alone_follows_the_current_text() -> None:
    current = BASE.replace("Land", "Bundesland")
    side = rebase_side(Side(BASE, current, BASE, base_is_current=False))
    assert side.clean and side.text == current and not side.changes(current)


def test_rebase_is_deterministic() -> None:
    current = BASE.replace("Planung", "Umsetzung")
    proposed = BASE.replace("Kommunen", "Gemeinden")
    sides = {"de": Side(BASE, current, proposed, base_is_current=False)}
    assert rebase(sides) == rebase(sides)


def test_merging_several_amendments_combines_changes_in_order() -> None:
    preview = merge_several(
        {"de": BASE, "fr": "Les communes planifient."},
        [
            (1, {"de": BASE.replace("sollen", "müssen")}),
            (2, {"de": BASE.replace("fördert", "finanziert")}),
            (3, {"fr": "Les communes planifient la chaleur."}),
        ],
    )
    assert preview.clean
    assert preview.texts == {
        "de": "Die Kommunen müssen Wärmepläne erstellen. Das Land finanziert die Planung.",
        "fr": "Les communes planifient la chaleur.",
    }
    assert [step.amendment_id for step in preview.steps] == [1, 2, 3]


def test_an_amendment_that_conflicts_with_the_ones_before_is_left_out_of_the_merge() -> None:
    preview = merge_several(
        {"de": BASE},
        [
            (1, {"de": BASE.replace("sollen", "müssen")}),
            (2, {"de": BASE.replace("sollen", "können")}),
        ],
    )
    assert not preview.clean
    assert preview.conflicting_ids == [2]
    assert preview.texts["de"] == BASE.replace("sollen", "müssen")
    assert preview.steps[1].conflicts["de"][0].yours == "können"


def test_an_amendment_conflicting_in_one_language_changes_neither() -> None:
    fr = "Les communes planifient."
    preview = merge_several(
        {"de": BASE, "fr": fr},
        [
            (1, {"fr": "Les villes planifient."}),
            (2, {"de": BASE.replace("Land", "Bund"), "fr": "Les régions planifient."}),
        ],
    )
    assert preview.conflicting_ids == [2]
    assert preview.texts == {"de": BASE, "fr": "Les villes planifient."}


def test_touched_and_untouched_languages() -> None:
    assert touched_languages({"de": "x", "fr": None}) == ["de"]
    assert untouched_language({"de": "x", "fr": None}) == "fr"
    assert untouched_language({"fr": "x"}) == "de"
    assert untouched_language({"de": "x", "fr": "y"}) is None
