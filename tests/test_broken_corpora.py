"""Every kind of broken corpus in tests/corpora/broken/ is refused with exactly its
messages (file:line:col, with the fix), exit code 2, and the database left byte for byte."""

import hashlib
import shutil
import sqlite3

import pytest

import broken


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def existing_db(tmp_path, harbor_db):
    """A database that is already there, in a folder of its own."""
    folder = tmp_path / "db"
    folder.mkdir()
    target = folder / "scoq.db"
    shutil.copyfile(harbor_db, target)
    return target


def test_the_library_has_every_kind_of_case():
    names = [c.name for c in broken.cases()]
    assert len(names) >= 30
    for case in broken.cases():
        assert (case / "expected.txt").is_file(), case.name


@pytest.mark.parametrize("case", broken.cases(), ids=lambda c: c.name)
def test_a_broken_corpus_is_refused_and_the_database_kept(case, tmp_path, existing_db, run, monkeypatch):
    root = broken.build(case, tmp_path / "corpus")
    before = sha(existing_db)
    monkeypatch.chdir(root)
    result = run("ingest", ".", "--db", existing_db)
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    n = len(expected)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == expected + [
        f"Error: {n} problem{'s' * (n != 1)} in .; the database was not changed."]
    assert sha(existing_db) == before
    assert [p.name for p in existing_db.parent.iterdir()] == ["scoq.db"]


def test_many_independent_problems_in_different_files_come_in_one_run():
    lines = (broken.BROKEN / "many-errors" / "expected.txt").read_text().splitlines()
    files = [line.split(":")[0] for line in lines]
    assert files == ["articles/a1.yaml", "articles/b2.yaml", "articles/c3.txt", "articles/d4.yaml", "registry.yaml"]


# A byte-order mark and CRLF line ends are not errors: the text is kept as the file has
# it (BOM and carriage returns included) and every offset points into that text.
def _bom(root):
    """Prefix a1.txt with a UTF-8 byte-order mark."""
    path = root / "articles/a1.txt"
    path.write_bytes(b"\xef\xbb\xbf" + (broken.HARBOR / "articles/a1.txt").read_bytes())


@pytest.mark.parametrize("name", ["article-with-bom", "article-with-crlf", "annotation-with-bom-and-crlf"])
def test_bom_and_crlf_are_kept_and_offsets_stay_true(name, tmp_path, run):
    root = tmp_path / "corpus"
    shutil.copytree(broken.HARBOR, root)
    if name == "article-with-bom":
        _bom(root)
    elif name == "article-with-crlf":
        broken.apply({"crlf": "articles/a1.txt"}, root)
    else:
        broken.apply({"crlf": "articles/a1.yaml"}, root)
        ann = root / "articles/a1.yaml"
        ann.write_bytes(b"\xef\xbb\xbf" + ann.read_bytes())
    result = run("ingest", root, "--db", tmp_path / "x.db")
    assert result.exit_code == 0, result.stderr
    c = sqlite3.connect(tmp_path / "x.db")
    text = c.execute("SELECT text FROM articles WHERE id = 'a1'").fetchone()[0]
    assert text == (root / "articles/a1.txt").read_bytes().decode("utf-8")
    spans = c.execute("SELECT text, start, \"end\" FROM statements WHERE article_id = 'a1' "
                      "UNION ALL SELECT text, start, \"end\" FROM figures WHERE article_id = 'a1'").fetchall()
    assert len(spans) == 8
    for quoted, start, end in spans:
        assert text[start:end] == quoted
    s1 = c.execute("SELECT text FROM statements WHERE id = 'a1-s1'").fetchone()[0]
    if name == "article-with-bom":
        assert text.startswith("\ufeffPort council") and s1.startswith("the harbor council")
    if name == "article-with-crlf":
        assert "\r\n" in text
