import os
from pathlib import Path

import pytest

from scoq import corpus

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_corpus_is_the_seed_articles_byte_for_byte(shipped_corpus):
    names = sorted(p.name for p in (shipped_corpus / "articles").glob("*.txt"))
    assert names == [
        "000_dda2cd104923b83f.txt", "001_37ed9a5634ffda20.txt", "002_468bcedb7b044713.txt",
        "003_11cea8c31ae39c19.txt", "004_86c43b96d38f94ca.txt",
    ]
    seeds = ROOT.parent / "shared" / "seeds"
    if seeds.is_dir():
        for name in names:
            assert (shipped_corpus / "articles" / name).read_bytes() == (seeds / name).read_bytes()


def test_discover_finds_registry_annotations_and_texts(shipped_corpus):
    files, problems = corpus.discover(shipped_corpus)
    assert problems == []
    assert files.registry.name == "registry.yaml"
    assert len(files.annotations) == 5
    assert len(files.texts) == 0  # only texts without an annotation file beside them are listed


def test_missing_folder_and_missing_registry(tmp_path):
    files, problems = corpus.discover(tmp_path / "nope")
    assert files is None and "no such folder" in problems[0].message
    (tmp_path / "c").mkdir()
    _, problems = corpus.discover(tmp_path / "c")
    assert problems[0].file.endswith("registry.yaml")
    assert "missing: a corpus needs registry.yaml" in problems[0].message


def test_symlink_loop_is_reported_not_followed_forever(tmp_path):
    (tmp_path / "registry.yaml").write_text("people: []\n")
    (tmp_path / "sub").mkdir()
    os.symlink(tmp_path, tmp_path / "sub" / "loop")
    _, problems = corpus.discover(tmp_path)
    assert [(p.file, p.message) for p in problems] == [
        (str(tmp_path / "sub" / "loop"), f"symbolic link loop: it leads to {tmp_path}, which is already read; remove the link")]


def test_read_article_keeps_text_verbatim(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes("\ufeffTitle\r\nBody — ünïcode\r\n".encode("utf-8"))
    text, problems = corpus.read_article(p)
    assert problems == [] and text == "\ufeffTitle\r\nBody — ünïcode\r\n"


def test_read_article_rejects_empty_missing_and_non_utf8(tmp_path):
    (tmp_path / "empty.txt").write_text("  \n")
    assert "the article is empty" in corpus.read_article(tmp_path / "empty.txt")[1][0].message
    assert "missing" in corpus.read_article(tmp_path / "gone.txt")[1][0].message
    (tmp_path / "latin.txt").write_bytes(b"ok\nna\xefve\n")
    problem = corpus.read_article(tmp_path / "latin.txt")[1][0]
    assert (problem.line, problem.col) == (2, 3) and "not UTF-8: byte 0xEF" in problem.message


def test_read_bytes_reads_a_whole_file_and_refuses_what_open_refuses(tmp_path):
    import threading

    f = tmp_path / "a.txt"
    f.write_bytes(b"x" * 70_000 + "é".encode())
    assert corpus.read_bytes(f) == f.read_bytes() and corpus.read_bytes(str(f), 70_002) == f.read_bytes()
    (tmp_path / "empty.txt").write_bytes(b"")
    assert corpus.read_bytes(tmp_path / "empty.txt") == b""
    with pytest.raises(corpus.TooLarge) as big:
        corpus.read_bytes(f, 1000)
    assert big.value.size == 70_002
    with pytest.raises(FileNotFoundError):
        corpus.read_bytes(tmp_path / "missing.txt")
    with pytest.raises(IsADirectoryError):
        corpus.read_bytes(tmp_path)
    # A file whose size fstat does not tell (a pipe) is read to its end.
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    writer = threading.Thread(target=lambda: pipe.write_bytes(b"y" * 200_000))
    writer.start()
    assert corpus.read_bytes(pipe) == b"y" * 200_000
    writer.join()
