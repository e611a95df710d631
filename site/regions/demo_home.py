"""Демо-содержимое главных страниц регионов для `manage.py seed_demo`.

Заполняет только пустые главные (нет заголовка первого экрана): правки редактора повторный
запуск не трогает. Картинки первого экрана рисует Pillow — по одной на регион, без загрузок.
"""

import hashlib
import io

from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Locale

from regions.models import RegionHomePage

# Цвет первого экрана и городские подробности по коду демо-региона.
DEMO_HOME = {
    "msk": {"color": (29, 78, 216), "hours": "Ежедневно 9:00–21:00", "pickup": "Самовывоз с Тверской за 2 часа"},
    "spb": {"color": (15, 118, 110), "hours": "Ежедневно 10:00–22:00", "pickup": "Пункт выдачи на Невском"},
    "kzn": {"color": (180, 83, 9), "hours": "Пн–Сб 9:00–20:00", "pickup": "Самовывоз с Баумана"},
}
DEFAULT_COLOR = (55, 65, 81)


def seed_home_content(*, stdout):
    """Заполнить пустые главные страницы регионов: первый экран, баннеры, контакты и текст."""
    homes = RegionHomePage.objects.filter(locale=Locale.get_default()).select_related("region").order_by("path")
    for home in homes:
        if home.hero_title:
            continue
        region = home.region
        extra = DEMO_HOME.get(region.code, {})
        home.hero_title = f"Megashop — {region.name}"
        home.hero_text = f"Электроника, одежда и товары для дома с доставкой по городу {region.name}."
        home.hero_image = _hero_image(region, extra.get("color", DEFAULT_COLOR))
        home.hero_link_url = "/catalog/"
        home.hero_link_label = "В каталог"
        home.banners = [
            (
                "banner",
                {
                    "title": "Смартфоны недели",
                    "text": "Старые цены зачёркнуты — скидки до 20 %.",
                    "image": None,
                    "link_url": "/catalog/smartfony/",
                    "link_label": "Смотреть",
                },
            ),
            (
                "banner",
                {
                    "title": extra.get("pickup", "Самовывоз сегодня"),
                    "text": "Заберите заказ в день оформления.",
                    "image": None,
                    "link_url": "/pickup-points/",
                    "link_label": "Адреса",
                },
            ),
        ]
        home.contact_hours = extra.get("hours", "")
        home.body = [
            ("heading", "Почему Megashop"),
            ("paragraph", "<p>Цены и наличие — для вашего региона. Оплата онлайн или при получении.</p>"),
        ]
        # Новая ревизия и публикация: API v2 отдаёт опубликованное содержимое.
        home.save_revision().publish()
        stdout.write(f"Главная региона «{region.name}» заполнена.")


def _hero_image(region, color):
    """Вернуть картинку первого экрана региона (нарисовать один раз)."""
    title = f"Демо: первый экран, {region.name}"
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    canvas = PillowImage.new("RGB", (1600, 600), color)
    draw = ImageDraw.Draw(canvas)
    for step in range(6):
        shade = tuple(min(255, channel + 18 * step) for channel in color)
        draw.ellipse((1000 + step * 60, -200 + step * 40, 1800, 600 + step * 40), fill=shade)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG", optimize=True)
    image = image_model(title=title)
    image.file = ImageFile(buffer, name=f"demo-hero-{hashlib.sha256(title.encode()).hexdigest()[:12]}.png")
    image.save()
    return image
