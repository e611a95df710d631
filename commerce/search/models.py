"""Журнал поиска и его агрегаты.

Сырые данные — ``SearchQueryLog`` (каждый поиск) и ``SearchEvent`` (просмотр товара, добавление
в корзину, покупка, с привязкой к поиску, если он был). Их пишут пачками из буфера (services),
агрегируют по дням и регионам задачи Celery (tasks), а через SEARCH_LOG_RETENTION_DAYS
удаляют. Агрегаты — ``SearchQueryDaily``, ``ProductDaily``, ``CategoryDaily`` — остаются
навсегда: по ним строятся отчёты, а ``PopularQuery`` отдаёт витрине «часто ищут».

Регион хранится кодом, а не внешним ключом: отчёты за прошлый год должны пережить
удаление или переименование региона. Пользователь и сессия — только в виде HMAC-хеша.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

QUERY_MAX_LENGTH = 200


class EventKind(models.TextChoices):
    """Вид события витрины."""

    VIEW = "view", _("Просмотр товара")
    CART = "cart", _("Добавление в корзину")
    PURCHASE = "purchase", _("Покупка")


class SearchQueryLog(models.Model):
    """Один выполненный поиск (сырой журнал)."""

    search_id = models.UUIDField(_("id поиска"), unique=True)
    created_at = models.DateTimeField(_("время"), db_index=True)
    region_code = models.CharField(_("регион"), max_length=32, blank=True, default="")
    query = models.CharField(_("запрос (нормализованный)"), max_length=QUERY_MAX_LENGTH)
    corrected_query = models.CharField(
        _("исправленный запрос"),
        max_length=QUERY_MAX_LENGTH,
        blank=True,
        default="",
        help_text=_("Запрос в другой раскладке, если исходный ничего не нашёл."),
    )
    results_count = models.PositiveIntegerField(_("найдено"))
    user_hash = models.CharField(_("пользователь (хеш)"), max_length=32, blank=True, default="")
    session_hash = models.CharField(_("сессия (хеш)"), max_length=32, blank=True, default="")

    class Meta:
        verbose_name = _("поиск в журнале")
        verbose_name_plural = _("журнал поиска")
        indexes = [models.Index(fields=["region_code", "created_at"], name="search_log_region_time")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.region_code} «{self.query}» → {self.results_count}"


class SearchEvent(models.Model):
    """Событие витрины по товару; ``search_id`` связывает его с поиском, который к нему привёл."""

    created_at = models.DateTimeField(_("время"), db_index=True)
    kind = models.CharField(_("событие"), max_length=16, choices=EventKind.choices)
    region_code = models.CharField(_("регион"), max_length=32, blank=True, default="")
    # Без внешних ключей: журнал не должен мешать удалить товар, а отчёт — пережить удаление.
    product_id = models.BigIntegerField(_("id товара"))
    category_id = models.BigIntegerField(_("id основной категории"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("количество"), default=1)
    search_id = models.UUIDField(_("id поиска"), null=True, blank=True)
    query = models.CharField(_("запрос"), max_length=QUERY_MAX_LENGTH, blank=True, default="")
    session_hash = models.CharField(_("сессия (хеш)"), max_length=32, blank=True, default="")

    class Meta:
        verbose_name = _("событие витрины")
        verbose_name_plural = _("события витрины")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.kind} #{self.product_id}"


class SearchQueryDaily(models.Model):
    """Запрос за день в регионе: сколько раз искали, сколько раз без результатов, конверсии."""

    date = models.DateField(_("дата"))
    region_code = models.CharField(_("регион"), max_length=32, blank=True, default="")
    query = models.CharField(_("запрос"), max_length=QUERY_MAX_LENGTH)
    searches = models.PositiveIntegerField(_("поисков"), default=0)
    zero_results = models.PositiveIntegerField(_("без результатов"), default=0)
    users = models.PositiveIntegerField(_("уникальных посетителей"), default=0)
    views = models.PositiveIntegerField(_("просмотров после поиска"), default=0)
    carts = models.PositiveIntegerField(_("в корзину после поиска"), default=0)
    purchases = models.PositiveIntegerField(_("покупок после поиска"), default=0)

    class Meta:
        verbose_name = _("запрос за день")
        verbose_name_plural = _("запросы по дням")
        # Одно право на все отчёты поиска (запросы, товары, категории), а не view_* каждой таблицы.
        permissions = [("view_search_analytics", _("Может смотреть аналитику поиска"))]
        constraints = [
            models.UniqueConstraint(fields=["date", "region_code", "query"], name="search_querydaily_unique"),
        ]
        indexes = [models.Index(fields=["date", "region_code"], name="search_querydaily_date")]

    def __str__(self):
        return f"{self.date} {self.region_code} «{self.query}»: {self.searches}"


class ProductDaily(models.Model):
    """Товар за день в регионе: просмотры, добавления в корзину, покупки (все, не только из поиска)."""

    date = models.DateField(_("дата"))
    region_code = models.CharField(_("регион"), max_length=32, blank=True, default="")
    product_id = models.BigIntegerField(_("id товара"))
    views = models.PositiveIntegerField(_("просмотров"), default=0)
    carts = models.PositiveIntegerField(_("в корзину"), default=0)
    purchases = models.PositiveIntegerField(_("покупок"), default=0)
    from_search = models.PositiveIntegerField(_("событий из поиска"), default=0)

    class Meta:
        verbose_name = _("товар за день")
        verbose_name_plural = _("товары по дням")
        constraints = [
            models.UniqueConstraint(fields=["date", "region_code", "product_id"], name="search_productdaily_unique"),
        ]
        indexes = [models.Index(fields=["date", "region_code"], name="search_productdaily_date")]

    def __str__(self):
        return f"{self.date} {self.region_code} #{self.product_id}"


class CategoryDaily(models.Model):
    """Категория за день в регионе: события по товарам, у которых она основная."""

    date = models.DateField(_("дата"))
    region_code = models.CharField(_("регион"), max_length=32, blank=True, default="")
    category_id = models.BigIntegerField(_("id категории"))
    views = models.PositiveIntegerField(_("просмотров"), default=0)
    carts = models.PositiveIntegerField(_("в корзину"), default=0)
    purchases = models.PositiveIntegerField(_("покупок"), default=0)

    class Meta:
        verbose_name = _("категория за день")
        verbose_name_plural = _("категории по дням")
        constraints = [
            models.UniqueConstraint(fields=["date", "region_code", "category_id"], name="search_categorydaily_unique"),
        ]
        indexes = [models.Index(fields=["date", "region_code"], name="search_categorydaily_date")]

    def __str__(self):
        return f"{self.date} {self.region_code} #{self.category_id}"


class PopularQuery(models.Model):
    """Популярный запрос региона за последние SEARCH_POPULAR_DAYS дней (только с результатами).

    Пересобирается задачей агрегации; отсюда читают «часто ищут» и подсказки поиска.
    """

    region_code = models.CharField(_("регион"), max_length=32, blank=True, default="")
    query = models.CharField(_("запрос"), max_length=QUERY_MAX_LENGTH)
    searches = models.PositiveIntegerField(_("поисков"))

    class Meta:
        verbose_name = _("популярный запрос")
        verbose_name_plural = _("популярные запросы")
        constraints = [
            models.UniqueConstraint(fields=["region_code", "query"], name="search_popularquery_unique"),
        ]
        indexes = [
            models.Index(fields=["region_code", "-searches"], name="search_popular_rank"),
            # Подсказки: префикс запроса (LIKE 'ноу%') при любой сортировке базы.
            models.Index(
                fields=["region_code", "query"], opclasses=["", "varchar_pattern_ops"], name="search_popular_prefix"
            ),
        ]

    def __str__(self):
        return f"{self.region_code} «{self.query}»: {self.searches}"


class ProductSearchDocument(models.Model):
    """Поисковый документ товара для бэкенда PostgreSQL: одна строка на товар, без региона.

    Денормализация: в ``document`` — tsvector конфигурации megashop_russian с весами
    (A — название и артикулы, B — бренд и категории, C — варианты и значения атрибутов,
    D — описание). Поиск читает только эту таблицу по GIN-индексу, а цена и наличие региона
    берутся потом из предложений каталога. Строки пишет только ``documents.product_documents_refresh``
    (сигналы, update_index, задача переиндексации); правда — в каталоге.
    """

    product = models.OneToOneField(
        "catalog.Product", on_delete=models.CASCADE, primary_key=True, related_name="+", db_constraint=False
    )
    is_active = models.BooleanField(default=True)
    popularity = models.IntegerField(default=0)
    document = SearchVectorField()

    class Meta:
        verbose_name = _("поисковый документ товара")
        verbose_name_plural = _("поисковые документы товаров")
        # GIN-индекс по document (только активные товары) создаёт миграция 0004 на PostgreSQL:
        # на SQLite (`make run`) таблица есть, но поиск идёт через modelsearch.

    def __str__(self):
        return f"{self.product_id}"


class ProductNameWord(models.Model):
    """Слово названия активного товара (строчными, ё→е) — для подсказок по началу слова.

    Индекс btree с varchar_pattern_ops отвечает на ``word LIKE 'ноу%'`` диапазонным
    сканированием при любой сортировке базы; популярность в индексе — чтобы выбрать лучшие
    товары без чтения таблицы. Строки пишет ``documents.product_documents_refresh``.
    """

    word = models.CharField(max_length=64)
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    popularity = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("слово названия товара")
        verbose_name_plural = _("слова названий товаров")
        # Индекс (word varchar_pattern_ops, popularity DESC, product_id) создаёт миграция 0004
        # на PostgreSQL: классов операторов в SQLite нет.
        indexes = [models.Index(fields=["product"], name="search_nameword_product")]

    def __str__(self):
        return f"{self.word} → {self.product_id}"


class ProductLexeme(models.Model):
    """Лексема документа активного товара с лучшим весом — упорядоченный обратный индекс.

    Для запроса из одного слова (самый частый и самый дорогой случай: «смартфоны» совпадает с
    десятой частью каталога) выдача — диапазон btree ``(lexeme, weight_rank, popularity DESC,
    product_id)`` с LIMIT: лучшие товары читаются прямо из индекса, без обхода и ранжирования
    всех совпадений. Запросы из нескольких слов ищутся по GIN документа. Строки пишет
    ``documents.product_documents_refresh``.
    """

    lexeme = models.CharField(max_length=200)
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    # 0 — вес A (название, артикул), 1 — B (бренд, категории), 2 — C (варианты, атрибуты), 3 — D.
    weight_rank = models.SmallIntegerField()
    popularity = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("лексема товара")
        verbose_name_plural = _("лексемы товаров")
        # Индекс (lexeme, weight_rank, popularity DESC, product_id) создаёт миграция 0006.
        indexes = [models.Index(fields=["product"], name="search_lexeme_product")]

    def __str__(self):
        return f"{self.lexeme} → {self.product_id}"
