"""Наборы размеров изображений блога для API.

Размеры заданы здесь, а не во фронтенде: витрина получает готовые URL и размеры и не знает
спецификаций Wagtail. Все размеры одной картинки берутся одним вызовом get_renditions(),
а в списках — из заранее загруженных вариантов (prefetch), без запроса на каждую карточку.
"""

# Картинки в теле статьи: ширина, высота по пропорциям оригинала.
BODY_RENDITIONS = {
    "small": "width-480",
    "medium": "width-960",
    "large": "width-1600",
}

# Обложка статьи, серии и индекса блога: карточка в списке и широкий баннер.
COVER_RENDITIONS = {
    "card": "fill-640x360",
    "wide": "fill-1280x720",
}

# Open Graph: 1200×630 — размер, который ждут соцсети и мессенджеры.
OPEN_GRAPH_RENDITION = "fill-1200x630"

# Маленькая картинка товара в карточке внутри статьи.
PRODUCT_CARD_RENDITIONS = {
    "thumbnail": "fill-320x320",
}

# Фото автора.
AUTHOR_RENDITIONS = {
    "avatar": "fill-160x160",
}


def image_representation(image, renditions):
    """Вернуть изображение в виде JSON для API: описание, исходный размер и варианты с URL.

    Args:
        image: изображение Wagtail или None.
        renditions: словарь «имя варианта → спецификация Wagtail».

    Returns:
        dict или None, если изображения нет.
    """
    if image is None:
        return None
    by_spec = image.get_renditions(*renditions.values())
    return {
        "id": image.pk,
        "title": image.title,
        "alt": image.default_alt_text or image.title,
        "width": image.width,
        "height": image.height,
        "renditions": {
            name: {
                "url": by_spec[spec].full_url,
                "width": by_spec[spec].width,
                "height": by_spec[spec].height,
            }
            for name, spec in renditions.items()
        },
    }
