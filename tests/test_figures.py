import pytest

from scoq import figures


@pytest.mark.parametrize(
    "text, quantity, value, low, high, qualifier, mod, unit",
    [
        ("more than 12,000 lawbreakers were arrested", "more than 12,000", 12000, 12000, None, "more than", "MORE_THAN", None),
        ("over 9,600 people getting stopped", "over 9,600", 9600, 9600, None, "over", "MORE_THAN", None),
        ("75 firearms", "75", 75, 75, 75, "exact", None, None),
        ("8.8 tons of drugs", "8.8 tons", 8.8, 8.8, 8.8, "exact", None, "t"),
        ("1,178.3 tons of smuggled goods", "1,178.3 tons", 1178.3, 1178.3, 1178.3, "exact", None, "t"),
        ("hundreds of terrorist attacks", "hundreds of", None, 100, None, "vague", "EQUAL_OR_MORE", None),
        ("The eight full members", "eight", 8, 8, 8, "exact", None, None),
        ("at least 7 people", "at least 7", 7, 7, None, "at least", "EQUAL_OR_MORE", None),
        ("up to 30 ships", "up to 30", 30, None, 30, "up to", "EQUAL_OR_LESS", None),
        ("about 1.5 million euros", "about 1.5 million", 1500000, None, None, "about", "APPROX", None),
        ("nearly twenty-five percent", "nearly twenty-five percent", 25, None, 25, "nearly", "LESS_THAN", "%"),
        ("3,200 tonnes of cargo", "3,200 tonnes", 3200, 3200, 3200, "exact", None, "t"),
        ("dozens of boats", "dozens of", None, 12, None, "vague", "EQUAL_OR_MORE", None),
    ],
)
def test_read(text, quantity, value, low, high, qualifier, mod, unit):
    q = figures.read(text)
    assert (q.text, q.value, q.low, q.high, q.qualifier, q.mod, q.unit) == (
        quantity, value, low, high, qualifier, mod, unit)
    assert text[q.start:q.end] == quantity


def test_integral_values_stay_integers():
    assert isinstance(figures.read("12,000").value, int)
    assert isinstance(figures.read("8.8").value, float)


def test_text_without_a_number_is_an_error():
    with pytest.raises(figures.FigureError, match="no number in 'a large number of suspects'"):
        figures.read("a large number of suspects")


def test_digits_inside_words_are_not_figures():
    assert figures.read("the 10th meeting and 10 states").start == len("the 10th meeting and ")


def test_what_a_figure_counts_ignores_case_plurals_small_words_and_order():
    assert figures.words("SCO full member states") == ["sco", "full", "member", "state"]
    key = figures.topic_key("SCO full member states", None, "countries")
    assert key == "full member sco state | countries"
    assert figures.topic_key("full members states of the SCO", None, "Countries") == key
    assert figures.topic_key("boats stolen from the marina", "stolen", "boats") == "boat marina stolen | boats"
    # What is done to them counts: recovered boats are not stolen boats.
    assert figures.topic_key("stolen boats", "recovered", "boats") != "boat marina stolen | boats"
