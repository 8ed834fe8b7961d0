from scoq.names import fold


def test_fold_ignores_case_accents_and_spacing():
    assert fold("  José   ÁLVAREZ ") == "jose alvarez"
    assert fold("Liao Jinrong") == fold("LIAO jinrong")
    assert fold("王磊") == "王磊"
    assert fold("Straße") == "strasse"
