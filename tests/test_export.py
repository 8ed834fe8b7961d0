"""The whole corpus out of the database and back in: the same database, table by table."""

import json

import pytest

from conftest import all_rows
from scoq import db, export, ingest
from scoq.problems import InputError


@pytest.mark.parametrize("corpus", ["shipped_db", "harbor_db"])
@pytest.mark.parametrize("suffix", ["json", "jsonl"])
def test_round_trip_gives_back_the_same_database(request, tmp_path, corpus, suffix):
    source = request.getfixturevalue(corpus)
    conn = db.connect_readonly(source)
    file = tmp_path / f"corpus.{suffix}"
    if suffix == "json":
        file.write_text(json.dumps(export.dump(conn), ensure_ascii=False, indent=2), encoding="utf-8")
    else:
        file.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in export.records(conn)),
                        encoding="utf-8")
    conn.close()
    # Derived columns are left out, and made again when the file is loaded.
    text = file.read_text(encoding="utf-8")
    assert '"topic"' not in text and '"norm"' not in text and '"counts"' in text
    copy = tmp_path / "copy.db"
    counts = ingest.run_export(file, copy)
    assert counts == {t: len(rows) for t, rows in all_rows(source).items() if t != "meta"}
    before, after = all_rows(source), all_rows(copy)
    for name in before:
        assert after[name] == before[name], name
    assert sum(len(r) for r in before.values()) > 40


def test_the_document_holds_registry_and_articles_with_their_parts(conn):
    doc = export.dump(conn)
    assert doc["format"] == "scoq-export" and doc["schema_version"] == db.SCHEMA_VERSION
    assert [len(doc["registry"][t]) for t in export.REGISTRY] == [11, 7, 7, 8, 11]
    liao = next(s for s in doc["registry"]["speakers"] if s["id"] == "liao-jinrong")
    assert liao["aliases"] == ["Liao Jinrong", "Liao"]
    sco = next(o for o in doc["registry"]["organizations"] if o["id"] == "sco")
    assert sco["aliases"] == ["SCO"]
    art = next(a for a in doc["articles"] if a["id"] == "003_11cea8c31ae39c19")
    assert art["outlet_id"] == "shine" and art["published"] == "2024-07-10"
    assert [len(art[p]) for p in export.PARTS] == [len(art["furniture"]), 1, 10]
    s = art["statements"][0]
    assert s["id"] == "003-s01" and "article_id" not in s
    assert art["text"][s["start"]:s["end"]] == s["text"]
    assert sum(len(a["statements"]) for a in doc["articles"]) == 47


def test_records_are_tagged_with_their_table(harbor_conn):
    recs = list(export.records(harbor_conn))
    assert recs[0]["kind"] == "export" and recs[0]["row"]["format"] == "scoq-export"
    kinds = [r["kind"] for r in recs[1:]]
    assert kinds == sorted(kinds, key=db.LOAD_ORDER.index)
    assert kinds.count("statements") == 10 and kinds.count("figures") == 8
    g3 = next(r["row"] for r in recs if r["kind"] == "figures" and r["row"]["id"] == "g3-f1")
    assert (g3["article_id"], g3["value"], g3["period"]) == ("g3", 35, "2025-02")


def _bad(tmp_path, doc) -> list[str]:
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError) as e:
        ingest.run_export(file, tmp_path / "x.db")
    assert not (tmp_path / "x.db").exists()
    return [p.message for p in e.value.problems]


def test_a_damaged_export_is_refused_with_where_and_why(tmp_path, harbor_conn):
    doc = export.dump(harbor_conn)
    doc["articles"][0]["statements"][1]["start"] += 1
    doc["registry"]["claims"][0]["sumary"] = doc["registry"]["claims"][0].pop("summary")
    del doc["articles"][0]["figures"][0]["unit"]  # what the figure's topic is made from, too
    assert _bad(tmp_path, doc) == [
        "articles[0] (a1).figures[0]: missing key 'unit'",
        "articles[0] (a1).statements[1]: text 'We will not let the marina become a market for thieves' is not "
        "the article text at start..end (201..254)",
        "registry.claims[0] (patrols-added): missing key 'summary'",
        "registry.claims[0] (patrols-added): unknown key 'sumary' (did you mean 'summary'?); "
        "claims have: id, summary",
    ]


def test_references_and_versions_are_checked(tmp_path, harbor_conn):
    doc = export.dump(harbor_conn)
    doc["articles"][1]["statements"][0]["speaker_id"] = "nobody"
    [message] = _bad(tmp_path, doc)
    assert message.startswith("the rows do not fit together: foreign key check failed")
    doc = export.dump(harbor_conn)
    doc["schema_version"] = 99
    assert _bad(tmp_path, doc) == [
        f"export version 1 of schema 99; this scoq reads version 1 of schema {db.SCHEMA_VERSION}: "
        "export it again with this scoq, "
        "or ingest the corpus folder"]
    assert _bad(tmp_path, {"articles": []})[0].startswith("not a scoq export")


def test_not_json_names_the_line_and_column(tmp_path):
    file = tmp_path / "corpus.json"
    file.write_text('{"format": "scoq-export",\n  "articles": [,]}\n')
    with pytest.raises(InputError) as e:
        export.read(file)
    [p] = e.value.problems
    assert (p.line, p.col) == (2, 16) and p.message.startswith("not JSON (Expecting value)")


def test_each_article_holds_its_parts_in_the_order_they_were_stored(tmp_path, harbor):
    """A re-ingest that changes a1 stores its rows again after the others': each article's
    parts are still its own rows, in the order the tables hold them."""
    from conftest import edit

    ingest.run(harbor, tmp_path / "h.db")
    edit(harbor / "articles/a1.yaml", "    cue: said\n", "    cue: told reporters\n")
    edit(harbor / "articles/a1.txt", "said", "told reporters")
    ingest.run(harbor, tmp_path / "h.db")
    conn = db.connect_readonly(tmp_path / "h.db")
    try:
        stored = [r["article_id"] for r in conn.execute("SELECT article_id FROM statements ORDER BY rowid")]
        assert stored[-4:] == ["a1"] * 4 and stored[0] != "a1"
        expected: dict[tuple, list] = {}
        for rec in export.records(conn):
            if rec["kind"] in export.PARTS:
                row = dict(rec["row"])
                expected.setdefault((row.pop("article_id"), rec["kind"]), []).append(row)
        doc = export.dump(conn)
    finally:
        conn.close()
    assert [a["id"] for a in doc["articles"]] == ["b2", "g3", "a1"]
    for art in doc["articles"]:
        for part in export.PARTS:
            assert art[part] == expected.get((art["id"], part), []), (art["id"], part)
    assert len(next(a for a in doc["articles"] if a["id"] == "a1")["statements"]) == 4


def test_the_document_is_written_an_article_at_a_time_as_json_dump_writes_it(tmp_path, conn, harbor_db):
    import io
    import shutil
    import sqlite3

    from conftest import peak_heaps
    from generated import large_corpus

    empty = tmp_path / "empty.db"
    shutil.copyfile(harbor_db, empty)
    with sqlite3.connect(empty) as w:
        for table in (*export.PARTS, "articles"):
            w.execute(f"DELETE FROM {table}")
    w.close()
    ingest.run(large_corpus(tmp_path / "large", 150), tmp_path / "large.db")
    for path in (None, harbor_db, empty, tmp_path / "large.db"):
        c = conn if path is None else db.connect_readonly(path)
        out = io.StringIO()
        export.write_document(c, out)
        assert out.getvalue() == json.dumps(export.dump(c), ensure_ascii=False, indent=2) + "\n", path
        if path == empty:
            assert json.loads(out.getvalue())["articles"] == [] and out.getvalue().endswith('"articles": []\n}\n')
        if path == tmp_path / "large.db":
            assert out.getvalue().count('"statements": [') == 300

            class Sink:
                def write(self, text):
                    pass

            streaming_peak, whole_peak = peak_heaps(lambda: export.write_document(c, Sink()), lambda: export.dump(c))
            assert streaming_peak < whole_peak / 4
        if path is not None:
            c.close()
