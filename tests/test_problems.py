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


def test_display_path_names_a_file_as_typed_from_the_working_directory(tmp_path, monkeypatch):
    from scoq.problems import display_path

    work, outside = tmp_path / "work", tmp_path / "outside"
    (work / "corpus").mkdir(parents=True)
    outside.mkdir()
    (outside / "into").symlink_to(work / "corpus")
    (outside / "here").symlink_to(work)
    (outside / "a.txt").symlink_to(work / "corpus" / "a.txt")
    monkeypatch.chdir(work)
    assert display_path(work / "corpus" / "a.yaml") == "corpus/a.yaml"
    assert display_path("corpus/a.yaml") == "corpus/a.yaml"
    assert display_path(outside / "b.yaml") == str(outside / "b.yaml")
    assert display_path(outside / "into" / "a.yaml") == "corpus/a.yaml"  # through a linked folder
    assert display_path(outside / "a.txt") == "corpus/a.txt"  # a linked file
    assert display_path(outside / "here") == "."  # the working directory itself
    assert display_path(work) == "."
