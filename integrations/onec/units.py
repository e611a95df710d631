"""Единицы измерения (ОКЕИ) и ставки НДС в том виде, в каком их пишет и читает 1С.

1С называет единицу кодом ОКЕИ (атрибут ``Код``), кратким именем (текст элемента),
полным именем и международным сокращением; CommerceML 3 и некоторые выгрузки дают только
код. Таблица ниже дополняет недостающее для частых единиц; незнакомый код принимается как есть.
"""

from decimal import Decimal

from commerce.catalog.models import VatRate
from integrations.core.catalog_in import UnitIn

# Код ОКЕИ: (краткое, полное, международное).
OKEI = {
    "796": ("шт", "Штука", "PCE"),
    "166": ("кг", "Килограмм", "KGM"),
    "163": ("г", "Грамм", "GRM"),
    "168": ("т", "Тонна", "TNE"),
    "112": ("л", "Литр", "LTR"),
    "111": ("мл", "Миллилитр", "MLT"),
    "006": ("м", "Метр", "MTR"),
    "055": ("м2", "Квадратный метр", "MTK"),
    "113": ("м3", "Кубический метр", "MTQ"),
    "778": ("упак", "Упаковка", "NMP"),
    "839": ("компл", "Комплект", "SET"),
    "715": ("пар", "Пара", "NPR"),
}
DEFAULT_UNIT_CODE = "796"
VAT_NAME = "НДС"
# Как 1С пишет «без НДС» в «Ставка».
VAT_NONE_TEXT = "Без налога"


def unit_complete(*, code="", name="", full_name="", international=""):
    """Вернуть UnitIn, дополненную по таблице ОКЕИ (по коду или по краткому имени)."""
    code = (code or "").strip()
    name = (name or "").strip()
    if not code and name:
        code = next((key for key, row in OKEI.items() if row[0] == name.casefold()), "")
    if code.isdigit() and len(code) < 3:
        code = code.zfill(3)  # «6» и «55» в старых выгрузках — это 006 и 055
    known = OKEI.get(code, ("", "", ""))
    return UnitIn(
        code=code[:4],
        name=(name or known[0])[:20],
        full_name=((full_name or "").strip() or known[1])[:60],
        international=((international or "").strip() or known[2])[:6],
    )


def unit_for_export(*, code, name, full_name, international):
    """Единица для документа заказа: поля товара, а без них — штука."""
    unit = unit_complete(code=code, name=name, full_name=full_name, international=international)
    if not unit.code and not unit.name:
        return unit_complete(code=DEFAULT_UNIT_CODE)
    return unit


def vat_rate_parse(value):
    """Ставка НДС из «СтавкаНалога/Ставка» 1С: «20», «20%», «20/120», «Без налога» → VatRate или None."""
    raw = str(value or "").strip().casefold().replace("%", "").replace(",", ".").strip()
    if not raw:
        return None
    if raw.startswith("без"):
        return VatRate.NONE
    number = raw.split("/", 1)[0].strip()
    try:
        number = str(int(Decimal(number)))
    except (ArithmeticError, ValueError):
        return None
    return VatRate(number) if number in VatRate.values else None


def vat_rate_text(rate):
    """Ставка для «СтавкаНалога/Ставка» в документе заказа."""
    return VAT_NONE_TEXT if rate == VatRate.NONE else str(rate)


def vat_amount(*, amount, rate):
    """НДС, уже включённый в сумму (УчтеноВСумме): сумма × ставка / (100 + ставка), до копейки."""
    if rate in ("", None, VatRate.NONE):
        return Decimal("0.00")
    percent = Decimal(rate)
    return (amount * percent / (100 + percent)).quantize(Decimal("0.01"))
