"""Блоки StreamField тела статьи и их JSON для API.

Каждый блок отдаёт в API чистый JSON, который витрина рисует без знания Wagtail:
ссылки в тексте уже разрешены в URL, у картинок готовые варианты с размерами,
у карточки товара — цена для региона запроса. Форма JSON описана в docs/frontend/blog.md;
менять её — значит менять контракт с витринами.
"""

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.api.rich_text import APIRichText
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from blog.images import BODY_RENDITIONS, image_representation
from blog.products import ProductChooserBlock, product_cards_for

# Возможности редактора текста: без картинок и встраиваний внутри абзаца — для них есть свои блоки,
# а без заголовков — заголовок отдельным блоком получает якорь для оглавления.
PARAGRAPH_FEATURES = [
    "bold",
    "italic",
    "link",
    "document-link",
    "ol",
    "ul",
    "superscript",
    "subscript",
    "strikethrough",
]

# Витрине нужен готовый HTML со ссылками на страницы, а не внутренний формат Wagtail:
# по умолчанию отдаём «html», а ?rich_text_format= (db_html, markdown, ...) по-прежнему работает.
DEFAULT_RICH_TEXT_FORMAT = APIRichText.FORMAT_HTML


def rich_text_format_for(context):
    """Вернуть формат текста для API: из ?rich_text_format=, а без него — «html»."""
    request = context.get("request") if context else None
    requested = request.GET.get("rich_text_format") if request is not None else None
    return APIRichText.resolve_format(requested or DEFAULT_RICH_TEXT_FORMAT)


class ParagraphBlock(blocks.RichTextBlock):
    """Абзац текста с форматированием и ссылками."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", PARAGRAPH_FEATURES)
        super().__init__(**kwargs)

    def get_api_representation(self, value, context=None):
        """Отдать {"format", "content"}: по умолчанию HTML с разрешёнными ссылками на страницы и документы."""
        rich_text_format = rich_text_format_for(context)
        return {
            "format": rich_text_format,
            "content": APIRichText.serialize(value.source, format=rich_text_format, features=self.features),
        }

    class Meta:
        icon = "pilcrow"
        label = _("Абзац")


class HeadingBlock(blocks.StructBlock):
    """Заголовок раздела статьи с якорем для оглавления."""

    text = blocks.CharBlock(label=_("Текст"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Уровень"),
        choices=[("h2", _("Раздел (h2)")), ("h3", _("Подраздел (h3)")), ("h4", _("Пункт (h4)"))],
        default="h2",
    )
    anchor = blocks.CharBlock(
        label=_("Якорь"),
        required=False,
        max_length=80,
        help_text=_("Латиницей, для ссылок вида #kak-vybrat. Пусто — из текста заголовка."),
    )

    def get_api_representation(self, value, context=None):
        """Отдать {"text", "level": 2..4, "anchor"}; якорь без указания — из текста."""
        anchor = value.get("anchor") or slugify(value["text"], allow_unicode=True)
        return {"text": value["text"], "level": int(value["level"][1]), "anchor": anchor}

    class Meta:
        icon = "title"
        label = _("Заголовок")


class CaptionedImageBlock(blocks.StructBlock):
    """Картинка с подписью и источником."""

    image = ImageChooserBlock(label=_("Изображение"))
    caption = blocks.CharBlock(label=_("Подпись"), required=False, max_length=300)
    attribution = blocks.CharBlock(label=_("Источник"), required=False, max_length=200)

    def get_api_representation(self, value, context=None):
        """Отдать картинку с вариантами small/medium/large (URL и размеры), подпись и источник."""
        return {
            "image": image_representation(value["image"], BODY_RENDITIONS),
            "caption": value["caption"],
            "attribution": value["attribution"],
        }

    class Meta:
        icon = "image"
        label = _("Изображение")


class QuoteBlock(blocks.StructBlock):
    """Цитата с автором."""

    text = blocks.TextBlock(label=_("Цитата"))
    author = blocks.CharBlock(label=_("Автор"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Цитата")


class VideoEmbedBlock(blocks.StructBlock):
    """Встраиваемое видео или пост (YouTube, Rutube, VK Видео и т. п.) по ссылке."""

    embed = EmbedBlock(label=_("Ссылка"), help_text=_("Адрес страницы видео или поста."))
    caption = blocks.CharBlock(label=_("Подпись"), required=False, max_length=300)

    def get_api_representation(self, value, context=None):
        """Отдать только адрес: витрина встраивает его сама, а сервер не ходит за oEmbed в каждом запросе."""
        embed = value["embed"]
        return {"url": embed.url if embed else None, "caption": value["caption"]}

    class Meta:
        icon = "media"
        label = _("Встраивание")


CODE_LANGUAGES = [
    ("text", _("Текст")),
    ("bash", "Bash"),
    ("python", "Python"),
    ("javascript", "JavaScript"),
    ("typescript", "TypeScript"),
    ("json", "JSON"),
    ("html", "HTML"),
    ("css", "CSS"),
    ("sql", "SQL"),
    ("yaml", "YAML"),
]


class CodeBlock(blocks.StructBlock):
    """Фрагмент кода или конфигурации: подсветку делает витрина по языку."""

    language = blocks.ChoiceBlock(label=_("Язык"), choices=CODE_LANGUAGES, default="text")
    code = blocks.TextBlock(label=_("Код"))

    class Meta:
        icon = "code"
        label = _("Код")


class ProductCardBlock(blocks.StructBlock):
    """Карточка товара из каталога с ценой для региона посетителя."""

    product = ProductChooserBlock(label=_("Товар"))
    note = blocks.CharBlock(
        label=_("Комментарий"), required=False, max_length=200, help_text=_("Например: «Наш выбор для учёбы».")
    )

    def get_api_representation(self, value, context=None):
        """Отдать {"product": {"id", "name", "slug", "image", "price"} или null, "note"}.

        Товар, снятый с продажи или удалённый, отдаётся как null: витрина просто пропускает карточку.
        """
        return {
            "product": self.child_blocks["product"].get_api_representation(value["product"], context=context),
            "note": value["note"],
        }

    class Meta:
        icon = "tag"
        label = _("Карточка товара")


class LinkBlock(blocks.StructBlock):
    """Ссылка: страница сайта или внешний адрес — ровно одно из двух."""

    page = blocks.PageChooserBlock(label=_("Страница"), required=False)
    url = blocks.URLBlock(label=_("Внешний адрес"), required=False)

    def clean(self, value):
        """Проверить, что указано ровно одно: страница или адрес."""
        value = super().clean(value)
        if bool(value["page"]) == bool(value["url"]):
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError(_("Укажите страницу сайта или внешний адрес — одно из двух."))}
            )
        return value

    def get_api_representation(self, value, context=None):
        """Отдать готовый адрес: у страницы — её путь на сайте."""
        page = value["page"]
        if page is not None:
            return {"url": page.url, "page_id": page.pk}
        return {"url": value["url"], "page_id": None}


class CallToActionBlock(blocks.StructBlock):
    """Призыв к действию: заголовок, текст и кнопка со ссылкой."""

    title = blocks.CharBlock(label=_("Заголовок"), max_length=120)
    text = blocks.TextBlock(label=_("Текст"), required=False)
    button_text = blocks.CharBlock(label=_("Текст кнопки"), max_length=60)
    link = LinkBlock(label=_("Ссылка кнопки"))

    def get_api_representation(self, value, context=None):
        """Отдать {"title", "text", "button": {"text", "url", "page_id"}}."""
        link = self.child_blocks["link"].get_api_representation(value["link"], context=context)
        return {"title": value["title"], "text": value["text"], "button": {"text": value["button_text"], **link}}

    class Meta:
        icon = "pick"
        label = _("Призыв к действию")


class ArticleBodyBlock(blocks.StreamBlock):
    """Тело статьи: абзацы, заголовки, картинки, цитаты, встраивания, код, товары, призывы."""

    paragraph = ParagraphBlock()
    heading = HeadingBlock()
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    embed = VideoEmbedBlock()
    code = CodeBlock()
    product = ProductCardBlock()
    call_to_action = CallToActionBlock()

    def get_api_representation(self, value, context=None):
        """Отдать блоки списком {"type", "value", "id"}; карточки товаров собрать одной пачкой.

        Товары всех карточек статьи и их цены для региона запроса читаются за постоянное число
        запросов, а не по запросу на карточку.
        """
        if value is None:
            return []
        product_ids = [
            block.value["product"].pk for block in value if block.block_type == "product" and block.value["product"]
        ]
        if product_ids:
            request = context.get("request") if context else None
            cards = product_cards_for(product_ids=product_ids, request=request)
            context = {**(context or {}), "blog_product_cards": cards}
        return super().get_api_representation(value, context=context)
