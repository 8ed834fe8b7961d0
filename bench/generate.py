"""Write a synthetic corpus of realistic shape, for measuring scoq at scale.

Each article is about 3 KB of English text with a title, a publisher label, ten
attributed statements (one in three articles also quotes someone in Russian) and five
reported figures; its annotation file anchors all of them, as a curator would. People,
bodies, outlets, places, events and claims live in one generated registry.yaml and
are shared across articles; some people carry Chinese or Russian native names, used
in the texts. The same seed and size always give the same files, and every corpus
passes ``scoq ingest``.

    python bench/generate.py --articles 1000 --out /tmp/corpus-1k
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import sys
from pathlib import Path

GIVEN = ["Anna", "Boris", "Chen", "Dmitri", "Elena", "Farid", "Gulnara", "Hao", "Irina", "Jamshid",
         "Kairat", "Li", "Marat", "Nurlan", "Olga", "Pavel", "Qiang", "Rustam", "Svetlana", "Timur",
         "Ulan", "Viktor", "Wei", "Xin", "Yulia", "Zhanna"]
FAMILY = ["Abdullaev", "Baimukhanov", "Chernov", "Dzhaksybekov", "Egorov", "Fedorov", "Gao", "Huang",
          "Ivanov", "Jiang", "Kuznetsov", "Liang", "Morozov", "Nazarov", "Orlov", "Petrov", "Qian",
          "Rakhimov", "Sokolov", "Tashkentov", "Usmanov", "Volkov", "Wang", "Xu", "Yakovlev", "Zhou"]
CHINESE = [("Wang Lei", "王磊"), ("Li Na", "李娜"), ("Zhang Wei", "张伟"), ("Liu Yang", "刘洋"),
           ("Chen Jie", "陈杰"), ("Yang Fan", "杨帆"), ("Zhao Min", "赵敏"), ("Huang Tao", "黄涛")]
RUSSIAN = [("Sergei Volkov", "Сергей Волков"), ("Maria Petrova", "Мария Петрова"),
           ("Ivan Sokolov", "Иван Соколов"), ("Olga Morozova", "Ольга Морозова"),
           ("Pavel Orlov", "Павел Орлов"), ("Anna Kuznetsova", "Анна Кузнецова")]
ROLES = ["Minister", "Deputy Minister", "Secretary", "Spokesperson", "Director", "Ambassador",
         "Commander", "Envoy", "Chairman", "Adviser"]
CITIES = ["Astana", "Beijing", "Moscow", "Tashkent", "Bishkek", "Dushanbe", "Qingdao", "Almaty",
          "Samarkand", "Novosibirsk", "Urumqi", "Osh", "Khujand", "Kazan", "Xi'an", "Chengdu"]
COUNTRIES = ["Kazakhstan", "China", "Russia", "Uzbekistan", "Kyrgyzstan", "Tajikistan", "India", "Pakistan"]
EVENT_KINDS = ["summit", "meeting", "press-conference", "operation", "talks"]
SUBJECTS = ["the member states", "border services", "the joint commission", "customs officers",
            "the regional centre", "security agencies", "the working group", "police liaison officers",
            "the secretariat", "defence ministries", "the expert council", "transport authorities"]
VERBS = ["would expand", "had agreed to strengthen", "planned to review", "were ready to coordinate",
         "would soon launch", "had completed", "intended to fund", "would jointly monitor",
         "continued to improve", "had decided to renew"]
OBJECTS = ["information exchange", "counter-narcotics patrols", "cyber incident reporting",
           "training for young officers", "checks at crossing points", "joint exercises",
           "extradition procedures", "the shared database", "financial monitoring",
           "protection of pipelines", "rail freight inspections", "emergency drills"]
RUSSIAN_SAYINGS = ["мы продолжим совместную работу", "сотрудничество укрепляется", "границы станут безопаснее",
                   "обмен данными расширится", "учения пройдут по плану", "угрозы требуют общих мер"]
UNITS = [("tonnes", "t", "of seized drugs"), ("kilometres", "km", "of border road"),
         ("percent", "%", "of the planned budget"), ("people", "people", "detained in the raids"),
         ("officers", "officers", "trained at the centre"), ("rounds", "rounds", "of consultations")]
QUALIFIERS = ["", "more than ", "about ", "at least ", "up to "]
FILLER = [
    "The talks took place against a background of rising concern about cross-border crime, "
    "smuggling routes through mountain passes and the spread of online recruitment.",
    "Officials from several delegations met on the sidelines to compare notes on earlier "
    "agreements, some of which have not yet been put into practice.",
    "Analysts said the outcome would depend on funding, on the willingness of national agencies "
    "to share sensitive data, and on how quickly new procedures can be written into law.",
    "Observers noted that the wording of the final document was cautious and left several "
    "questions open for the next round of consultations.",
    "Local media reported heavy security around the venue, with roads closed and additional "
    "checkpoints set up at the airport and the main railway station.",
]


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def registry(rng: random.Random, n_articles: int) -> dict:
    """People, bodies, outlets, places, events and claims, sized to the corpus."""
    n_people = max(30, min(5000, n_articles // 20))
    people, seen = [], set()
    for k in range(n_people):
        if k % 10 == 3:
            name, native = CHINESE[k // 10 % len(CHINESE)]
            name = f"{name} {k}" if name in seen else name
        elif k % 10 == 7:
            name, native = RUSSIAN[k // 10 % len(RUSSIAN)]
            name = f"{name} {k}" if name in seen else name
        else:
            name, native = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}", None
            if name in seen:
                name = f"{name} {k}"
        seen.add(name)
        person = {"id": f"p{k:04d}-{_slug(name)}", "name": name, "aliases": [name.split()[-1] + f" {k}"]}
        if native:
            person["native_name"] = native if k < 80 else f"{native} {k}"
        people.append(person)
    bodies = [{"id": f"body-{k}", "name": f"Press service of the {c} delegation", "kind": "document"}
              for k, c in enumerate(COUNTRIES)]
    outlets = [{"id": f"outlet-{k}", "name": f"{c} Daily Wire", "kind": "outlet"} for k, c in enumerate(CITIES)]
    places = [{"id": f"place-{_slug(c)}", "name": c, "kind": "city"} for c in CITIES]
    events, event_ids = [], set()
    for k in range(max(10, min(3000, n_articles // 30))):
        kind = EVENT_KINDS[k % len(EVENT_KINDS)]
        city = CITIES[k % len(CITIES)]
        while True:  # slugs as a curator writes them: place, kind and date
            day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3600))
            slug = f"{_slug(city)}-{kind}-{day.isoformat()}"
            if slug not in event_ids:
                break
        event_ids.add(slug)
        events.append({"id": slug, "name": f"{city} {kind.replace('-', ' ')} of {day:%d %B %Y}", "kind": kind,
                       "place": f"place-{_slug(city)}", "date": day.isoformat()})
    claims = [{"id": f"claim-{k}", "summary": f"Member states agree on measure {k} of the cooperation plan."}
              for k in range(max(5, min(2000, n_articles // 50)))]
    return {"people": people, "bodies": bodies, "organizations": outlets, "places": places,
            "events": events, "claims": claims}


def _yaml_registry(reg: dict) -> str:
    out = ["# A generated corpus for benchmarks: made-up people, events and claims."]
    for section, items in reg.items():
        out.append(f"{section}:")
        for item in items:
            out += _list_item(item)
    return "\n".join(out) + "\n"


def _list_item(item: dict) -> list[str]:
    """One mapping as an item of a YAML list: lists inline, mappings nested, the rest quoted."""
    lines = []
    for n, (key, value) in enumerate(item.items()):
        lead = "    " if n else "  - "
        if isinstance(value, list):
            lines.append(f"{lead}{key}: [{', '.join(_q(v) for v in value)}]")
        elif isinstance(value, dict):
            lines.append(f"{lead}{key}:")
            lines += [f"      {k}: {_q(v)}" for k, v in value.items()]
        else:
            lines.append(f"{lead}{key}: {_q(value)}")
    return lines


def article(rng: random.Random, reg: dict, i: int) -> tuple[str, str, str]:
    """(article id, text, annotation YAML) for article number ``i``."""
    event = rng.choice(reg["events"])
    event_day = dt.date.fromisoformat(event["date"])
    published = event_day + dt.timedelta(days=rng.randrange(1, 4))
    outlet = rng.choice(reg["organizations"])
    speakers = rng.sample(reg["people"], 4)
    body = rng.choice(reg["bodies"])
    claim = rng.choice(reg["claims"])
    title = f"{event['name']}: officials pledge closer cooperation ({i})"
    label = f"Published by {outlet['name']}"
    paras, stmts, figs = [], [], []
    roles = {sp["id"]: rng.choice(ROLES) for sp in speakers}

    for j in range(10):
        sp = speakers[j % len(speakers)]
        content = (f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
                   f"in stage {j + 1} of the plan for {rng.choice(COUNTRIES)}")
        source = sp.get("native_name") if sp.get("native_name") and j % 3 == 0 else sp["name"]
        if j < 4:
            lead = f"{roles[sp['id']]} {source} said that {content}."
        elif j % 2:
            lead = f"\u201c{content[0].upper() + content[1:]},\u201d {source} told reporters."
        else:
            lead = f"According to {source}, {content}."
        paras.append(lead + " " + rng.choice(FILLER))
        st = {"id": f"a{i}-s{j}", "speaker": sp["id"], "source": source,
              "cue": "said" if j < 4 else ("told" if j % 2 else "According to"),
              "type": "direct" if (j >= 4 and j % 2) else "indirect",
              "quote": content[0].upper() + content[1:] if (j >= 4 and j % 2) else content}
        if j < 4:
            st["role"] = roles[sp["id"]]
        if j % 3 == 0:
            st["event"] = event["id"]
        elif j % 3 == 1:
            st["said"] = published.isoformat()
        if j == 0:
            st["claim"] = claim["id"]
        stmts.append(st)
    if i % 3 == 0:
        saying = f"{rng.choice(RUSSIAN_SAYINGS)}, этап {i}"
        sp = speakers[0]
        paras.append(f"\u00ab{saying[0].upper() + saying[1:]}\u00bb, \u2014 заявил {sp['name']}.")
        stmts.append({"id": f"a{i}-s10", "speaker": sp["id"], "source": sp["name"], "cue": "заявил",
                      "type": "direct", "quote": saying[0].upper() + saying[1:], "event": event["id"]})

    numbers = rng.sample(range(12, 9000), 5)
    for j, n in enumerate(numbers):
        word, unit, what = UNITS[(i + j) % len(UNITS)]
        qual = QUALIFIERS[(i + j) % len(QUALIFIERS)]
        quantity = f"{qual}{n:,} {word}"
        phrase = f"{quantity} {what}"
        reporter = body if j == 4 else speakers[j % len(speakers)]
        paras.append(f"The figures released after the meeting show {phrase} during the year.")
        fig = {"id": f"a{i}-f{j}", "quote": phrase, "value": n, "unit": unit,
               "counts": what.removeprefix("of ").split(" in ")[0], "reporter": reporter["id"]}
        if j % 2 == 0:
            fig["event"] = event["id"]
        if j == 1:
            fig["period"] = {"date": str(published.year), "as_written": "during the year"}
        figs.append(fig)

    rng.shuffle(paras)
    text = f"{title}\n{label}\n\n" + "\n\n".join(paras) + "\n"
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    art_id = f"{i:06d}_{digest}"

    y = [f"title: {_q(title)}", f"outlet: {outlet['id']}", f"published: {published.isoformat()}",
         "furniture:", "  - kind: title", f"    quote: {_q(title)}", "  - kind: label", f"    quote: {_q(label)}",
         "roles:"]
    y += [f"  {sid}: {_q(role)}" for sid, role in roles.items()]
    y.append("statements:")
    for st in stmts:
        y += _list_item(st)
    y.append("figures:")
    for fig in figs:
        y += _list_item(fig)
    return art_id, text, "\n".join(y) + "\n"


def generate(n_articles: int, out: Path, seed: int = 1) -> Path:
    """Write a corpus of ``n_articles`` to ``out`` (a new or empty folder); return it."""
    rng = random.Random(seed)
    reg = registry(rng, n_articles)
    out.mkdir(parents=True, exist_ok=True)
    (out / "registry.yaml").write_text(_yaml_registry(reg), encoding="utf-8")
    for i in range(n_articles):
        art_id, text, ann = article(random.Random(f"{seed}-{i}"), reg, i)
        folder = out / "articles" / f"{i // 1000:03d}"
        if i % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{art_id}.txt").write_text(text, encoding="utf-8")
        (folder / f"{art_id}.yaml").write_text(ann, encoding="utf-8")
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, required=True, help="Number of articles.")
    ap.add_argument("--out", type=Path, required=True, help="Folder to write the corpus into.")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    generate(args.articles, args.out, args.seed)
    print(f"wrote {args.articles} articles to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
