from scoq.names import fold, stem


def test_fold_ignores_case_accents_and_spacing():
    assert fold("  José   ÁLVAREZ ") == "jose alvarez"
    assert fold("Liao Jinrong") == fold("LIAO jinrong")
    assert fold("王磊") == "王磊"
    assert fold("Straße") == "strasse"


def test_stem_keeps_what_singular_and_plural_share():
    assert [stem(w) for w in ("attacks", "attack", "countries", "country", "process", "gas", "bus")] == [
        "attack", "attack", "countr", "country", "process", "gas", "bus"]
    assert all(stem(w) in w for w in ("countries", "country", "members", "member"))
