"""Входные и выходные сериализаторы API аккаунтов."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts import error_codes
from accounts.models import Address, User
from accounts.normalization import InvalidPhone, login_identifier_parse, normalize_email, phone_normalize


class PhoneField(serializers.CharField):
    """Мобильный телефон в любой привычной записи; значение — E.164 (+79161234567)."""

    default_error_messages = {error_codes.INVALID_PHONE: _("Введите мобильный номер, например +7 916 123-45-67.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return phone_normalize(value)
        except InvalidPhone:
            self.fail(error_codes.INVALID_PHONE)


class NormalizedEmailField(serializers.EmailField):
    """E-mail, приведённый к нижнему регистру без пробелов; не длиннее поля модели (254, RFC 5321)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return normalize_email(super().to_internal_value(data))


class LoginField(serializers.CharField):
    """E-mail или телефон; значение — пара (вид, нормализованное значение)."""

    default_error_messages = {"invalid_login": _("Введите e-mail или номер телефона.")}

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            kind, normalized = login_identifier_parse(value)
        except InvalidPhone:
            self.fail("invalid_login")
        if kind == "email":
            serializers.EmailField().run_validators(normalized)
        return kind, normalized

    def to_representation(self, value):
        return value[1] if isinstance(value, tuple) else value


class CodeField(serializers.RegexField):
    """Одноразовый код из 6 цифр."""

    def __init__(self, **kwargs):
        super().__init__(r"^\s*\d{6}\s*$", max_length=16, **kwargs)
        self.error_messages["invalid"] = _("Код — 6 цифр.")

    def to_internal_value(self, data):
        return super().to_internal_value(data).strip()


# --- Вход ---------------------------------------------------------------------------------------


class PhoneCodeRequestInputSerializer(serializers.Serializer):
    phone = PhoneField()


class CodeSentOutputSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Текст для человека.")
    expires_in = serializers.IntegerField(help_text="Сколько секунд действует код.")
    resend_after = serializers.IntegerField(help_text="Через сколько секунд можно запросить новый код.")

    @staticmethod
    def build(detail):
        return {
            "detail": str(detail),
            "expires_in": settings.ACCOUNTS_CODE_TTL_SECONDS,
            "resend_after": settings.ACCOUNTS_CODE_RESEND_SECONDS,
        }


class PhoneCodeConfirmInputSerializer(serializers.Serializer):
    phone = PhoneField()
    code = CodeField()


class TokenPairOutputSerializer(serializers.Serializer):
    access = serializers.CharField(help_text="Access-токен (JWT), заголовок Authorization: Bearer <access>.")
    refresh = serializers.CharField(help_text="Refresh-токен (JWT) для /auth/token/refresh/; одноразовый.")


class EmailRegisterInputSerializer(serializers.Serializer):
    email = NormalizedEmailField()
    password = serializers.CharField(write_only=True, max_length=128, style={"input_type": "password"})
    first_name = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)


class EmailInputSerializer(serializers.Serializer):
    email = NormalizedEmailField()


class EmailConfirmInputSerializer(serializers.Serializer):
    email = NormalizedEmailField()
    code = CodeField()


class DetailOutputSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Текст для человека.")


class LoginInputSerializer(serializers.Serializer):
    login = LoginField(max_length=254, help_text="E-mail или телефон.")
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


class RefreshInputSerializer(serializers.Serializer):
    refresh = serializers.CharField()


class TokenVerifyInputSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Access- или refresh-токен.")


class PasswordResetRequestInputSerializer(serializers.Serializer):
    login = LoginField(max_length=254, help_text="E-mail или телефон аккаунта.")


class PasswordResetConfirmInputSerializer(serializers.Serializer):
    login = LoginField(max_length=254, help_text="E-mail или телефон, на который пришёл код.")
    code = CodeField()
    password = serializers.CharField(max_length=128, style={"input_type": "password"}, help_text="Новый пароль.")


# --- Профиль ------------------------------------------------------------------------------------


class ProfileOutputSerializer(serializers.ModelSerializer):
    phone = serializers.CharField(allow_null=True, read_only=True, help_text="E.164 или null.")
    has_password = serializers.SerializerMethodField(help_text="Задан ли пароль (после входа по SMS — нет).")

    class Meta:
        model = User
        fields = ("id", "email", "email_verified", "phone", "phone_verified", "first_name", "last_name", "has_password")
        read_only_fields = fields

    def get_has_password(self, user) -> bool:
        return user.has_usable_password()


class ProfileUpdateInputSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)


class PhoneInputSerializer(serializers.Serializer):
    phone = PhoneField()


class PhoneConfirmInputSerializer(serializers.Serializer):
    phone = PhoneField()
    code = CodeField()


class PasswordChangeInputSerializer(serializers.Serializer):
    current_password = serializers.CharField(
        max_length=128, required=False, allow_blank=True, default="", help_text="Не нужен, если пароля ещё нет."
    )
    password = serializers.CharField(max_length=128, help_text="Новый пароль.")


class AccountDeleteInputSerializer(serializers.Serializer):
    password = serializers.CharField(
        max_length=128, required=False, allow_blank=True, default="", help_text="Текущий пароль, если он задан."
    )
    code = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        default="",
        help_text="Код из SMS (или письма) — для аккаунта без пароля; запросите его POST /api/v1/me/delete/code/.",
    )


class AccountDeleteCodeSentSerializer(CodeSentOutputSerializer):
    channel = serializers.ChoiceField(choices=["phone", "email"], help_text="Куда отправлен код: SMS или письмо.")


class ConsentsSerializer(serializers.Serializer):
    personal_data = serializers.BooleanField(required=False, help_text="Согласие на обработку персональных данных.")
    personal_data_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="Когда дано.")
    marketing = serializers.BooleanField(required=False, help_text="Согласие на рекламные рассылки.")
    marketing_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="Когда дано.")

    @staticmethod
    def build(user):
        return {
            "personal_data": user.personal_data_consent_at is not None,
            "personal_data_at": user.personal_data_consent_at,
            "marketing": user.marketing_consent_at is not None,
            "marketing_at": user.marketing_consent_at,
        }


class AddressSerializer(serializers.ModelSerializer):
    """Адрес доставки: вход и выход (поля модели без пользователя)."""

    recipient_phone = PhoneField(required=False, allow_blank=True)

    class Meta:
        model = Address
        fields = (
            "id",
            "label",
            "recipient_name",
            "recipient_phone",
            "postal_code",
            "region",
            "city",
            "street",
            "house",
            "apartment",
            "comment",
            "is_default",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("id", "created_at", "updated_at")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["recipient_phone"] = str(instance.recipient_phone) if instance.recipient_phone else ""
        return data
