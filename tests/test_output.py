"""One output layer: machine formats carry every field; tables are drawn for people only."""

import csv
import io
import itertools
import json
import re

import pytest

from scoq import output

ROWS = [
    {"figure_id": "f1", "value": 12000, "text": "more than 12,000\tlawbreakers\nwere", "note": None},
    {"figure_id": "f2", "value": 8.8, "text": "[bold]not markup[/bold]", "note": "x"},
]
FIELDS = ("figure_id", "value", "text", "note")


COLOUR = re.compile(r"\x1b\[[0-9;]*?(?:3[0-7]|38;|9[0-7])[;m]")


def render(fmt, view="statements", **kw):
    buf = io.StringIO()
    output.write(ROWS, FIELDS, view, fmt, out=buf, **kw)
    return buf.getvalue()


def test_default_format_depends_on_the_terminal(monkeypatch):
    monkeypatch.delenv("SCOQ_TERMINAL", raising=False)
    assert output.choose_format(None, terminal=True) == "table"
    assert output.choose_format(None, terminal=False) == "tsv"
    assert output.choose_format("json", terminal=True) == "json"
    monkeypatch.setenv("SCOQ_TERMINAL", "1")
    assert output.choose_format(None) == "table"


def test_tsv_has_a_header_and_escapes_tabs_and_newlines():
    assert render("tsv").splitlines() == [
        "figure_id\tvalue\ttext\tnote",
        "f1\t12000\tmore than 12,000\\tlawbreakers\\nwere\t",
        "f2\t8.8\t[bold]not markup[/bold]\tx",
    ]


def test_csv_round_trips():
    rows = list(csv.DictReader(io.StringIO(render("csv"))))
    assert rows[0] == {"figure_id": "f1", "value": "12000", "text": "more than 12,000\tlawbreakers\nwere", "note": ""}


def test_json_and_jsonl_keep_types_and_nulls():
    assert json.loads(render("json")) == ROWS
    lines = render("jsonl").splitlines()
    assert [json.loads(line) for line in lines] == ROWS


def test_table_for_a_terminal_has_colour_and_keeps_brackets(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    text = render("table", terminal=True, title="2 statements")
    buf = io.StringIO()
    output.write([{"speaker": "Liao Jinrong", "text": "x"}], ("speaker", "text"), "statements", "table",
                 out=buf, terminal=True)
    assert COLOUR.search(buf.getvalue())  # the speaker in colour
    assert "[bold]not markup[/bold]" in text  # data is never read as rich markup
    assert "2 statements" in text and "Statement" in text and "─" in text
    assert "Counts" in render("table", view="figures", terminal=True)


def test_no_color_is_honoured(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    text = render("table", terminal=True)
    assert not COLOUR.search(text)
    assert "more than 12,000 lawbreakers" in text


def test_tsv_escapes_every_cell_alike():
    rows = [{"a": "x\ty\\z", "b": 2.0, "c": None, "d": "line\r\nnext\0"}, {"a": "", "b": 0.5, "c": 7}]
    buf = io.StringIO()
    output.write(rows, ("a", "b", "c", "d"), "statements", "tsv", out=buf)
    assert buf.getvalue() == "a\tb\tc\td\nx\\ty\\\\z\t2\t\tline\\r\\nnext\0\n\t0.5\t7\t\n"


def test_a_date_kept_only_as_words_is_shown_on_a_terminal():
    """When the article's words could not be turned into dates, the table shows the words
    where the date would be, as the machine formats carry them in their own field."""
    row = {"said": None, "said_as_written": "in the spring", "type": "indirect", "speaker": "Mara Voss",
           "text": "Work should begin", "article_id": "v1"}
    buf = io.StringIO()
    output.write([row], tuple(row), "statements", "table", out=buf, terminal=True)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", buf.getvalue())
    said = [line.split()[:3] for line in plain.splitlines() if "spring" in line]
    assert said == [["in", "the", "spring"]]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv"])
def test_machine_formats_write_an_iterator_as_they_would_a_list(fmt):
    listed, streamed = io.StringIO(), io.StringIO()
    assert output.write(ROWS, FIELDS, "statements", fmt, out=listed) == 2
    assert output.write(iter(ROWS), FIELDS, "statements", fmt, out=streamed) == 2
    assert streamed.getvalue() == listed.getvalue()
    empty = io.StringIO()
    assert output.write(iter([]), FIELDS, "statements", fmt, out=empty) == 0
    assert empty.getvalue() == {"json": "[]\n", "jsonl": "", "csv": "figure_id,value,text,note\n",
                                "tsv": "figure_id\tvalue\ttext\tnote\n"}[fmt]


@pytest.mark.parametrize("fmt,by", [("json", 1), ("jsonl", 1), ("csv", 1), ("tsv", output._BATCH)])
def test_rows_are_written_as_they_come_not_after_the_last(fmt, by):
    """Memory stays flat however many rows a query answers: each row (or batch of TSV
    lines) is out before the next few are read."""
    buf = io.StringIO()
    written = []

    def rows():
        for i in range(3 * output._BATCH):
            written.append(len(buf.getvalue()))
            yield {"figure_id": f"f{i}", "value": i, "text": "t", "note": None}

    assert output.write(rows(), FIELDS, "statements", fmt, out=buf) == 3 * output._BATCH
    header = written[0]
    assert written[by + 1] > header  # the first row (or batch) is out before row by + 1 is read
    assert all(a <= b for a, b in itertools.pairwise(written))
