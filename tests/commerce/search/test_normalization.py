"""Нормализация запроса: регистр, ё/е, мусор, длина, раскладка клавиатуры."""

from commerce.search.normalization import layout_switch, query_normalize


def test_normalize_lowercases_and_maps_yo_to_ye():
    assert query_normalize("  Зелёная  ЁЛКА ") == "зеленая елка"


def test_normalize_drops_odd_characters_but_keeps_sku_punctuation():
    assert query_normalize("a'b\\c:*&|!() <script>") == "a b c script"
    assert query_normalize('USB-C кабель 1/2" C++') == "usb-c кабель 1/2 c++"


def test_normalize_caps_length_and_terms(settings):
    settings.SEARCH_QUERY_MAX_LENGTH = 50
    settings.SEARCH_QUERY_MAX_TERMS = 3
    assert query_normalize("слово " * 500) == "слово слово слово"
    assert len(query_normalize("я" * 1000)) == 50


def test_normalize_empty_and_punctuation_only_give_empty_string():
    assert query_normalize("") == ""
    assert query_normalize(None) == ""
    assert query_normalize(" !!! --- ... ") == ""


def test_layout_switch_turns_latin_keys_into_russian_word():
    # «,» на раскладке ЙЦУКЕН — «б»: исходный текст нужен до нормализации.
    assert layout_switch("yjen,er") == "ноутбук"
    assert layout_switch("Cvfhnajy") == "смартфон"


def test_layout_switch_turns_russian_keys_into_latin_word():
    assert layout_switch("фсук") == "acer"


def test_layout_switch_leaves_mixed_or_empty_queries():
    assert layout_switch("ноутбук acer") == ""
    assert layout_switch("12345") == ""
    assert layout_switch("") == ""
