"""Claims as each outlet worded them, and titles as each outlet gave them, on real databases."""

import pytest

from scoq import claims
from scoq.queries import Ambiguous, NotFound


def test_every_claim_with_counts(conn):
    rows = claims.claims(conn)
    assert len(rows) == 11
    top = rows[0]
    assert top["claim_id"] == "expansion-benefits"
    assert (top["statements"], top["articles"], top["outlets"]) == (4, 3, 2)
    assert top["outlet_names"] == "(outlet not stated); China Daily; Global Times"
    assert top["speakers"] == "Liao Jinrong"
    assert sum(r["statements"] for r in rows) == 27


def test_claims_match_id_or_words_of_the_summary(conn):
    assert [c["id"] for c in claims.match_claims(conn, "attacks-prevented")] == ["attacks-prevented"]
    assert [c["id"] for c in claims.match_claims(conn, "India PAKISTAN")] == ["india-pakistan-potential"]
    # "terrorism" is in four summaries ("counter-terrorism" too): all are shown.
    assert [c["id"] for c in claims.match_claims(conn, "terrorism")] == [
        "fields-of-cooperation", "four-challenges", "terrorism-top-challenge", "three-forces-priority"]
    with pytest.raises(NotFound) as e:
        claims.match_claims(conn, "atacks-prevented")
    assert e.value.suggestions == ["attacks-prevented"]


def test_one_claim_as_each_outlet_worded_it(conn):
    rows = claims.claim_statements(conn, ["attacks-prevented"])
    assert [(r["statement_id"], r["outlet"], r["article_id"]) for r in rows] == [
        ("001-s04", "Global Times", "001_37ed9a5634ffda20"),
        ("002-s03", None, "002_468bcedb7b044713"),
        ("000-s04", "China Daily", "000_dda2cd104923b83f"),
    ]
    china_daily = rows[2]
    assert china_daily["text"].startswith("member countries have prevented hundreds of terrorist attacks")
    assert china_daily["role"] == "head of the International Cooperation Bureau of the Ministry of Public Security"
    assert (china_daily["start"], china_daily["end"]) == (825, 964)
    text = conn.execute("SELECT text FROM articles WHERE id = ?", [china_daily["article_id"]]).fetchone()[0]
    assert text[825:964] == china_daily["text"]


def test_side_by_side_keeps_each_outlet_in_its_own_column(harbor_conn):
    labels, lines = claims.side_by_side(claims.claim_statements(harbor_conn, ["patrols-added"]))
    assert labels == ["Lakeside Courier", "(outlet not stated) b2", "Harbour Gazette"]
    assert len(lines) == 2  # b2 carries the claim twice
    assert lines[0]["2:text"] == "Lakeside will put night patrols in its harbour"
    assert lines[0]["2:who"] == "— José Álvarez, the town's mayor (indirect, told)"
    assert lines[1] == {"1:text": "the patrols were needed because more than 40 boats had been stolen in February",
                        "1:who": "— José Álvarez, Mayor (indirect, said)", "1:ref": "b2-s2 · b2 · 2025-03-19"}


def test_titles_as_each_outlet_worded_them(conn, harbor_conn):
    rows = claims.titles(conn, "liao")
    assert [(r["outlet"], r["role"], r["statements"], r["start"], r["end"]) for r in rows] == [
        ("Global Times", "head of the international cooperation department with the Ministry of Public Security",
         10, 324, 409),
        (None, "director of the Ministry of Public Security's International Cooperation Bureau", 14, 821, 899),
        ("China Daily", "head of the International Cooperation Bureau of the Ministry of Public Security",
         12, 513, 592),
    ]
    assert len(claims.titles(conn)) == 6
    alvarez = claims.titles(harbor_conn, "jose alvarez")
    assert [(r["article_id"], r["role"]) for r in alvarez] == [("a1", "Mayor"), ("b2", "Mayor"),
                                                              ("g3", "the town's mayor")]


def test_titles_of_an_unknown_or_ambiguous_name(conn):
    with pytest.raises(NotFound):
        claims.titles(conn, "nobody")
    with pytest.raises(Ambiguous):
        claims.titles(conn, "secretaries")
