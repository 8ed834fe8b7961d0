"""The README's curator's guide, run command by command on its files: the output it shows is real."""

import re
import shutil

from conftest import CORPORA, HARBOR, ROOT, edit

GUIDE = CORPORA / "guide"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def cut(text: str, *fields: int) -> list[str]:
    """Lines of TSV with only the given fields (1-based), as `cut -f` prints them."""
    return ["\t".join(line.split("\t")[f - 1] for f in fields) for line in text.splitlines()]


def plain(text: str) -> list[str]:
    """What a terminal shows, without colours and the spaces that end a wrapped line."""
    return [line.rstrip() for line in ANSI.sub("", text).splitlines()]


SUGGESTED = "6 statements and 4 figures suggested for c3; check each and fill in every TODO\n"
SLIP = ("my-corpus/articles/c3.yaml:35:5: statements[3] (c3-s04).speaker: no speaker 'ana-ruis' in the registry "
        "(did you mean 'ana-ruiz'?); add it to registry.yaml or correct the id\n")
SLIP_SUMMARY = "Error: 1 problem in my-corpus\n"
CLEAN = "my-corpus: 4 articles, 16 statements, 11 figures, 1 claim; no problems\n"
GAPS_SUMMARY = "11 of 15 candidates covered (73.3%), 4 gaps in 1 article\n"
COVERED = "36 of 36 candidates covered (100.0%), 0 gaps in 4 articles\n"
INGESTED = "Ingested 4 articles: 4 speakers, 1 event, 16 statements, 11 figures, 1 claim -> my.db\n"
STALE = "Error: my-corpus: 4 articles, 89 annotations; 1 text changed; annotations 2 not found; 3 changes listed\n"
MATCH = "my-corpus: 4 articles, 89 annotations; all match the database\n"
REASON = ("'nearly 30 officers' is not in the article text (the text matches as far as 'nearly' but not '30'); "
          "copy the words exactly as the article has them")

COVERAGE_GAPS = """\
article_id	line	col	kind	text	context	start	end	path
c3	4	56	number	1	…e north shore will run again from April [1], Mayor José Álvarez said on Thursday.	121	122	my-corpus/articles/c3.txt
c3	12	23	quote	"lifeline"	The ferry, the town's ["lifeline"] since 1952, made its first crossing 73 …	547	557	my-corpus/articles/c3.txt
c3	12	40	number	1952	The ferry, the town's "lifeline" since [1952], made its first crossing 73 years ago.	564	568	my-corpus/articles/c3.txt
c3	12	70	number	73	…ne" since 1952, made its first crossing [73] years ago.	594	596	my-corpus/articles/c3.txt
"""

COVERAGE_TABLE = """\
11 of 15 candidates covered (73.3%), 4 gaps in 1 article

  Article   Line   Col   Kind     Gap          In context
 ──────────────────────────────────────────────────────────────────────────────────────────────────
  c3        4      56    number   1            …e north shore will run again from April [1], Mayor
                                               José Álvarez said on Thursday.
  c3        12     23    quote    "lifeline"   The ferry, the town's ["lifeline"] since 1952, made
                                               its first crossing 73 …
"""

COVERAGE_TOTALS = """\
article_id	candidates	covered	gaps	percent
a1	9	9	0	100
b2	6	6	0	100
c3	15	15	0	100
g3	6	6	0	100
"""

SHOW = """\
Ferry to run again in Lakeside
c3 · Lakeside Courier · 2025-03-21

Ferry to run again in Lakeside
Published by the Lakeside Courier

The ferry to the north shore will run again from April 1[c3-s01], Mayor José Álvarez said
on Thursday.

"The boats are repaired and the crews are ready[c3-s02]," Álvarez told reporters. He said
about 2,500 passengers a week used the ferry[c3-f01] before it stopped in January[c3-s03].

Police Chief Ana Ruiz noted that nearly 30 officers[c3-f02] would patrol the piers at
night[c3-s04]. "Nobody should fear the crossing[c3-s05]," she said.

New life jackets will cost 80,000 euros[c3-s06][c3-f03], according to the budget office.

The ferry, the town's "lifeline" since 1952, made its first crossing 73 years ago.

■ José Álvarez (jose-alvarez): 3 statements, 1 figure
■ Ana Ruiz (ana-ruiz): 2 statements, 1 figure
■ Lakeside council budget office (budget-office): 1 statement, 1 figure
bold: a figure  underlined: source and cue  dim: page furniture (2 spans), never an answer
"""

SHOW_ROWS = """\
kind	id	start	end	speaker_id	speaker	type	text	article_id
title		0	30				Ferry to run again in Lakeside	c3
furniture		0	30			title	Ferry to run again in Lakeside	c3
furniture		31	64			label	Published by the Lakeside Courier	c3
statement	c3-s01	66	122	jose-alvarez	José Álvarez	indirect	The ferry to the north shore will run again from April 1	c3
source	c3-s01	124	142	jose-alvarez	José Álvarez		Mayor José Álvarez	c3
role	c3-s01	124	129	jose-alvarez	José Álvarez		Mayor	c3
role	c3-s02	124	129	jose-alvarez	José Álvarez		Mayor	c3
role	c3-s03	124	129	jose-alvarez	José Álvarez		Mayor	c3
cue	c3-s01	143	147	jose-alvarez	José Álvarez		said	c3
date	c3-s01	148	159	jose-alvarez	José Álvarez	2025-03-20	on Thursday	c3
"""

WHO = """\
statement_id	source	cue	type	text
c3-s04	Police Chief Ana Ruiz	noted	indirect	nearly 30 officers would patrol the piers at night
c3-s05	she	said	direct	Nobody should fear the crossing
"""

FIGURES = """\
figure_id	quantity	value	qualifier	unit	counts
c3-f01	about 2,500	2500	about	people	ferry passengers a week
c3-f02	nearly 30	30	nearly	people	officers patrolling the piers at night
c3-f03	80,000	80000	exact	EUR	cost of new life jackets
"""

VERIFY = """\
article_id	status	kind	id	start	end	new_start	new_end	file	line
c3	changed	article						my-corpus/articles/c3.txt	
c3	not found	statement	c3-s04	353	403			my-corpus/articles/c3.yaml	37
c3	not found	figure	c3-f02	353	371			my-corpus/articles/c3.yaml	62
"""

VERIFY_HEADER = "article_id\tstatus\tkind\tid\tstart\tend\tnew_start\tnew_end\ttext\treason\tfile\tline\n"


def test_the_curators_guide(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    corpus = tmp_path / "my-corpus"
    shutil.copytree(HARBOR, corpus)
    article, annotations = corpus / "articles/c3.txt", corpus / "articles/c3.yaml"

    # 1. The report, saved verbatim.
    shutil.copy(GUIDE / "c3.txt", article)

    # 2. A draft, byte for byte the file the README abridges.
    result = run("suggest", "my-corpus/articles/c3.txt", "--published", "2025-03-21", "-o", "my-corpus/articles/c3.yaml")
    assert result.exit_code == 0
    assert result.stderr == SUGGESTED
    assert annotations.read_text(encoding="utf-8") == (GUIDE / "c3.draft.yaml").read_text(encoding="utf-8")

    # 3. The schema for the editor, once per corpus; the curator's edit, with a slip in one speaker id.
    result = run("schema")
    assert result.exit_code == 0
    (corpus / "schema").mkdir()
    (corpus / "schema/article.schema.json").write_text(result.stdout, encoding="utf-8")
    shutil.copy(GUIDE / "c3.yaml", annotations)
    assert annotations.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../schema/article.schema.json\n")
    edit(annotations, "    speaker: ana-ruiz\n", "    speaker: ana-ruis\n")

    # 4. validate catches it; corrected, the corpus is clean.
    result = run("validate", "my-corpus/articles/c3.yaml")
    assert result.exit_code == 2
    assert result.stdout == SLIP
    assert result.stderr == SLIP_SUMMARY
    edit(annotations, "    speaker: ana-ruis\n", "    speaker: ana-ruiz\n")
    result = run("validate", "my-corpus/articles/c3.yaml")
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == CLEAN

    # 5. coverage finds what is still missing; ignore entries with reasons make it 100%.
    result = run("coverage", "--corpus", "my-corpus", "--strict", "c3")
    assert result.exit_code == 1
    assert result.stdout == COVERAGE_GAPS
    assert result.stderr == GAPS_SUMMARY
    result = run("coverage", "--corpus", "my-corpus", "c3", terminal=True, env={"COLUMNS": "100"})
    assert plain(result.stdout)[:8] == COVERAGE_TABLE.splitlines()
    with open(annotations, "a", encoding="utf-8") as f:
        f.write((GUIDE / "c3.ignore.yaml").read_text(encoding="utf-8"))
    result = run("coverage", "--corpus", "my-corpus", "--strict", "--totals")
    assert result.exit_code == 0
    assert result.stdout == COVERAGE_TOTALS
    assert result.stderr == COVERED

    # 6. Ingest.
    result = run("ingest", "my-corpus", "--db", "my.db")
    assert result.exit_code == 0
    assert result.stderr == INGESTED

    # 7. show: on a terminal 90 columns wide, and as rows in a pipe.
    result = run("show", "c3", "--db", "my.db", terminal=True, env={"COLUMNS": "90"})
    assert result.exit_code == 0
    assert plain(result.stdout) == SHOW.splitlines()
    result = run("show", "c3", "--db", "my.db", terminal=False)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:11] == SHOW_ROWS.splitlines()

    # 8. Ask.
    result = run("who", "ruiz", "--article", "c3", "--db", "my.db", terminal=False)
    assert result.exit_code == 0
    assert cut(result.stdout, 1, 9, 10, 11, 16) == WHO.splitlines()
    result = run("figures", "--article", "c3", "--db", "my.db", terminal=False)
    assert result.exit_code == 0
    assert cut(result.stdout, 1, 2, 4, 7, 9, 10) == FIGURES.splitlines()

    # 9. The outlet corrects its text: verify names the stale annotations; fixed and ingested, all match.
    edit(article, "nearly 30 officers", "nearly 40 officers")
    result = run("verify", "--db", "my.db", terminal=False)
    assert result.exit_code == 1
    assert cut(result.stdout, *range(1, 9), 11, 12) == VERIFY.splitlines()
    assert [line.split("\t")[9] for line in result.stdout.splitlines()[1:]] == [
        "the text changed since ingest (608 -> 608 characters); 2 of its annotations no longer match",
        "'nearly 30 officers would patrol the piers at night' is not in the article text (the text matches as "
        "far as 'nearly' but not '30'); copy the words exactly as the article has them",
        REASON]
    assert result.stderr == STALE
    edit(annotations, "    quote: nearly 30 officers would", "    quote: nearly 40 officers would")
    edit(annotations, "    quote: nearly 30 officers\n    value: 30\n", "    quote: nearly 40 officers\n    value: 40\n")
    result = run("ingest", "my-corpus", "--db", "my.db")
    assert result.exit_code == 0
    assert result.stderr == INGESTED
    result = run("verify", "--db", "my.db", terminal=False)
    assert result.exit_code == 0
    assert result.stdout == VERIFY_HEADER
    assert result.stderr == MATCH


def test_the_readme_shows_what_the_guide_prints():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    guide = readme[readme.index("## Curator's guide: adding an article\n"):readme.index("## Curating a corpus: commands\n")]
    guide = re.sub(r"^   ", "", guide, flags=re.M)  # the steps' code blocks are indented under the list
    for shown in (SUGGESTED, SLIP + SLIP_SUMMARY, CLEAN, COVERAGE_GAPS + GAPS_SUMMARY, COVERAGE_TABLE,
                  COVERAGE_TOTALS + COVERED, INGESTED, SHOW, WHO, FIGURES, VERIFY + STALE, VERIFY_HEADER + MATCH):
        assert shown in guide
    assert (GUIDE / "c3.txt").read_text(encoding="utf-8") in guide
    assert (GUIDE / "c3.ignore.yaml").read_text(encoding="utf-8") in guide
    assert (GUIDE / "c3.yaml").read_text(encoding="utf-8").splitlines()[0] + "\n" in guide
    draft = (GUIDE / "c3.draft.yaml").read_text(encoding="utf-8")
    shown_draft = guide[guide.index("```yaml\n# Draft annotations") + 8:]
    shown_draft = shown_draft[:shown_draft.index("```")]
    for part in shown_draft.split("  ...\n"):  # the abridged parts of the draft
        assert part in draft
    assert " ".join(REASON.split()) in " ".join(guide.replace("`", "").split())
    assert SHOW_ROWS in readme[readme.index("### `scoq show ARTICLE`"):]
