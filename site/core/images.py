"""JSON изображения Wagtail для API: одна форма для блога и главных страниц регионов."""


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
