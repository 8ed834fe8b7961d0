import pytest
from pydantic import ValidationError

from scoq.model import Article, DateSelector, Furniture, Registry, Statement


def test_a_plain_string_is_a_quote_selector():
    s = Statement.model_validate({"id": "s1", "speaker": "x", "type": "direct", "quote": "Hi", "cue": "said"})
    assert s.quote.exact == "Hi" and s.quote.prefix is None


def test_dates_are_edtf_or_the_articles_words():
    s = Statement.model_validate({"id": "s1", "speaker": "x", "type": "direct", "quote": "Hi", "cue": "said",
                                  "said": "on Friday"})
    assert s.said == DateSelector(as_written="on Friday")
    s = Statement.model_validate({"id": "s1", "speaker": "x", "type": "direct", "quote": "Hi", "cue": "said",
                                  "said": 2018})
    assert s.said == DateSelector(date="2018")


def test_furniture_is_a_quote_or_a_range():
    assert Furniture.model_validate({"kind": "spam", "from": "a", "to": "b"}).from_.exact == "a"
    with pytest.raises(ValidationError, match="give either 'quote', or 'from' and 'to'"):
        Furniture.model_validate({"kind": "spam"})
    with pytest.raises(ValidationError, match="a range needs both 'from' and 'to'"):
        Furniture.model_validate({"kind": "spam", "from": "a"})


def test_ids_may_not_contain_spaces():
    with pytest.raises(ValidationError):
        Registry.model_validate({"people": [{"id": "liao jinrong", "name": "Liao"}]})


def test_the_model_gives_a_json_schema():
    schema = Article.model_json_schema()
    assert schema["additionalProperties"] is False
    assert {"statements", "figures", "furniture", "published"} <= set(schema["properties"])
