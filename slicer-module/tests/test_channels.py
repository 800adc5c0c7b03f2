"""Guessing model channels from volume names."""
import pytest

from LesionLinkLib import channels


@pytest.mark.parametrize("name, kind", [
    ("T1c", "t1c"), ("T1CE", "t1c"), ("t1_gd", "t1c"), ("T1-post", "t1c"), ("AX T1 POST GD", "t1c"),
    ("T1 MPRAGE +C", "t1c"), ("T1+C", "t1c"), ("Gd", "t1c"), ("post contrast", "t1c"), ("MPRAGE_post", "t1c"),
    ("FLAIR", "flair"), ("T2 FLAIR", "flair"), ("ax_t2_flair_fs", "flair"), ("t2f", "flair"),
    ("T2", "t2"), ("T2w", "t2"), ("AX T2 TSE", "t2"),
    ("T1", "t1"), ("T1w", "t1"), ("t1n", "t1"), ("MPRAGE", "t1"), ("sag T1 pre", "t1"), ("T1 precontrast", "t1"),
    ("CT", "ct"), ("CT_head", "ct"), ("Spine CT bone", "ct"),
    ("MRHead", None), ("DWI", None), ("Volume_1", None), ("Protocol", None),
])
def test_classify(name, kind):
    assert channels.classify(name) == kind


def test_model_channel_aliases():
    assert [channels.kind_of_channel(c) for c in ("t1", "t1c", "t2", "flair", "ct")] == ["t1", "t1c", "t2", "flair", "ct"]
    assert [channels.kind_of_channel(c) for c in ("t1n", "T1-C", "t2w", "t2f")] == ["t1", "t1c", "t2", "flair"]
    assert channels.kind_of_channel("adc") is None
    assert channels.normalise("T1-c.nii") == "t1cnii"


def test_brain_case_maps_completely():
    names = ["AX T1 POST GD", "sag T1 pre", "T2 FLAIR", "AX T2 TSE", "Scout"]
    guess = channels.guess_mapping(names, ["t1", "t1c", "t2", "flair"])
    assert guess.mapping == {"t1": "sag T1 pre", "t1c": "AX T1 POST GD", "t2": "AX T2 TSE", "flair": "T2 FLAIR"}
    assert guess.complete and not guess.ambiguous and guess.unused == ["Scout"]
    assert guess.problems() == []


def test_brats_2023_channel_names():
    guess = channels.guess_mapping(["t1n", "t1c", "t2w", "t2f"], ["t1c", "t1n", "t2w", "t2f"])
    assert guess.mapping == {"t1c": "t1c", "t1n": "t1n", "t2w": "t2w", "t2f": "t2f"}


def test_ambiguity_is_reported_and_first_candidate_chosen():
    guess = channels.guess_mapping(["T2 ax", "T2 sag", "T1"], ["t1", "t2"])
    assert guess.mapping == {"t1": "T1", "t2": "T2 ax"}
    assert guess.ambiguous == {"t2": ["T2 ax", "T2 sag"]}
    assert guess.problems() == ["t2: several candidates ('T2 ax', 'T2 sag'), chose 'T2 ax'"]


def test_exact_name_wins_over_kind_and_is_not_ambiguous():
    guess = channels.guess_mapping(["T1 post", "t1c"], ["t1c"])
    assert guess.mapping == {"t1c": "t1c"} and not guess.ambiguous


def test_missing_channel_and_single_use():
    guess = channels.guess_mapping(["T1"], ["t1", "t2"])
    assert guess.mapping == {"t1": "T1"} and guess.missing == ["t2"] and not guess.complete
    assert "t2: no volume looks like it" in guess.problems()
    # one volume is never used for two channels
    assert channels.guess_mapping(["T1"], ["t1", "t1n"]).missing == ["t1n"]


def test_spine_ct():
    guess = channels.guess_mapping(["CT spine", "T2 sag"], ["ct"])
    assert guess.mapping == {"ct": "CT spine"} and guess.unused == ["T2 sag"]
