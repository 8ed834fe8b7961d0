from scoq.problems import InputError, Problem, did_you_mean


def test_problem_prints_like_a_compiler():
    assert str(Problem("a.yaml", 3, 5, "bad")) == "a.yaml:3:5: bad"
    assert str(Problem("a.yaml", 3, 0, "bad")) == "a.yaml:3: bad"
    assert str(Problem("a.txt", 0, 0, "empty")) == "a.txt: empty"


def test_input_error_sorts_and_drops_repeats():
    e = InputError([Problem("b", 1, 1, "x"), Problem("a", 2, 1, "y"), Problem("b", 1, 1, "x")])
    assert [str(p) for p in e.problems] == ["a:2:1: y", "b:1:1: x"]


def test_did_you_mean():
    assert did_you_mean("speakr", ["speaker", "source"]) == " (did you mean 'speaker'?)"
    assert did_you_mean("zzz", ["speaker"]) == ""
