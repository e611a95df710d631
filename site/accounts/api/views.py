"""Представления API аккаунтов: проверить вход, вызвать сервис, оформить ответ."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.serializers import TokenVerifySerializer

from accounts import error_codes, selectors, services
from accounts.api import serializers as s
from accounts.api.schema import (
    CODE_CONFIRM_400,
    CODE_REQUEST_429,
    NOT_AUTHENTICATED,
    VALIDATION,
    auth_operation,
    errors,
    me_operation,
)
from accounts.exceptions import TokenInvalid
from accounts.models import Address
from core.client_ip import client_ip_get

AUTH_TAG = ["auth"]
ME_TAG = ["me"]
CODE_SENT = _("Если данные верны, мы отправили код.")


def _validated(serializer_class, request, **kwargs):
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class PublicApi(APIView):
    """Открытая точка входа: без аутентификации (и без ошибок из-за протухшего токена)."""

    authentication_classes = []
    permission_classes = []


class PhoneCodeRequestApi(PublicApi):
    @auth_operation(
        "Запросить SMS-код для входа или регистрации по телефону",
        description="Ответ одинаков для зарегистрированных и новых номеров.",
        request=s.PhoneCodeRequestInputSerializer,
        ok=s.CodeSentOutputSerializer,
        status=202,
        e400=[VALIDATION],
        e429=CODE_REQUEST_429,
        e503=[error_codes.SMS_DELIVERY_FAILED],
    )
    def post(self, request):
        data = _validated(s.PhoneCodeRequestInputSerializer, request)
        services.phone_code_request(phone=data["phone"], ip_address=client_ip_get(request))
        return Response(s.CodeSentOutputSerializer.build(CODE_SENT), status=status.HTTP_202_ACCEPTED)


class PhoneCodeConfirmApi(PublicApi):
    @auth_operation(
        "Подтвердить SMS-код и получить JWT (первый вход создаёт аккаунт)",
        request=s.PhoneCodeConfirmInputSerializer,
        ok=s.TokenPairOutputSerializer,
        e400=CODE_CONFIRM_400,
        e403=[error_codes.ACCOUNT_DISABLED],
    )
    def post(self, request):
        data = _validated(s.PhoneCodeConfirmInputSerializer, request)
        user, _created = services.phone_code_confirm(
            phone=data["phone"], code=data["code"], ip_address=client_ip_get(request)
        )
        return Response(services.token_pair_issue(user=user))


class EmailRegisterApi(PublicApi):
    @auth_operation(
        "Зарегистрироваться по e-mail и паролю (код подтверждения придёт письмом)",
        description="Ответ одинаков для свободного и занятого адреса; владельцу занятого приходит письмо.",
        request=s.EmailRegisterInputSerializer,
        ok=s.CodeSentOutputSerializer,
        status=202,
        e400=[VALIDATION],
        e429=CODE_REQUEST_429,
        e503=[error_codes.EMAIL_DELIVERY_FAILED],
    )
    def post(self, request):
        data = _validated(s.EmailRegisterInputSerializer, request)
        services.email_registration_start(**data, ip_address=client_ip_get(request))
        return Response(
            s.CodeSentOutputSerializer.build(_("Проверьте почту: мы отправили письмо с кодом.")),
            status=status.HTTP_202_ACCEPTED,
        )


class EmailCodeResendApi(PublicApi):
    @auth_operation(
        "Отправить код подтверждения e-mail ещё раз",
        request=s.EmailInputSerializer,
        ok=s.CodeSentOutputSerializer,
        status=202,
        e400=[VALIDATION],
        e429=CODE_REQUEST_429,
        e503=[error_codes.EMAIL_DELIVERY_FAILED],
    )
    def post(self, request):
        data = _validated(s.EmailInputSerializer, request)
        services.email_verification_resend(email=data["email"], ip_address=client_ip_get(request))
        return Response(s.CodeSentOutputSerializer.build(CODE_SENT), status=status.HTTP_202_ACCEPTED)


class EmailConfirmApi(PublicApi):
    @auth_operation(
        "Подтвердить e-mail кодом из письма и получить JWT",
        request=s.EmailConfirmInputSerializer,
        ok=s.TokenPairOutputSerializer,
        e400=CODE_CONFIRM_400,
    )
    def post(self, request):
        data = _validated(s.EmailConfirmInputSerializer, request)
        user = services.email_verification_confirm(
            email=data["email"], code=data["code"], ip_address=client_ip_get(request)
        )
        return Response(services.token_pair_issue(user=user))


class LoginApi(PublicApi):
    @auth_operation(
        "Войти по e-mail или телефону и паролю",
        request=s.LoginInputSerializer,
        ok=s.TokenPairOutputSerializer,
        e400=[VALIDATION],
        e401=[error_codes.INVALID_CREDENTIALS],
        e403=[error_codes.EMAIL_NOT_VERIFIED, error_codes.ACCOUNT_DISABLED],
        e429=[error_codes.LOGIN_THROTTLED],
    )
    def post(self, request):
        data = _validated(s.LoginInputSerializer, request)
        kind, login = data["login"]
        user = services.user_login(kind=kind, login=login, password=data["password"], ip_address=client_ip_get(request))
        return Response(services.token_pair_issue(user=user))


class TokenRefreshApi(PublicApi):
    @auth_operation(
        "Обменять refresh-токен на новую пару (старый refresh отзывается)",
        description="Повторное предъявление уже обменянного refresh отзывает все токены этого входа "
        "(семейство): украденный и настоящий токены перестают работать, нужно войти заново.",
        request=s.RefreshInputSerializer,
        ok=s.TokenPairOutputSerializer,
        e400=[VALIDATION],
        e401=[error_codes.TOKEN_INVALID],
    )
    def post(self, request):
        data = _validated(s.RefreshInputSerializer, request)
        return Response(services.token_refresh(refresh=data["refresh"]))


class TokenVerifyApi(PublicApi):
    @auth_operation(
        "Проверить, что токен действителен и не отозван",
        request=s.TokenVerifyInputSerializer,
        ok=OpenApiResponse(description="Токен действителен (пустой объект)."),
        e400=[VALIDATION],
        e401=[error_codes.TOKEN_INVALID],
    )
    def post(self, request):
        data = _validated(s.TokenVerifyInputSerializer, request)
        try:
            TokenVerifySerializer(data={"token": data["token"]}).is_valid(raise_exception=True)
        except (TokenError, ValidationError) as error:
            # ValidationError — simplejwt так сообщает об отозванном токене.
            raise TokenInvalid() from error
        return Response({})


class LogoutApi(PublicApi):
    @auth_operation(
        "Выйти: отозвать refresh-токен",
        request=s.RefreshInputSerializer,
        ok=OpenApiResponse(description="Токен отозван."),
        status=204,
        e400=[VALIDATION],
        e401=[error_codes.TOKEN_INVALID],
    )
    def post(self, request):
        data = _validated(s.RefreshInputSerializer, request)
        services.token_blacklist(refresh=data["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordResetRequestApi(PublicApi):
    @auth_operation(
        "Запросить код восстановления пароля на e-mail или телефон",
        description="Ответ одинаков, есть такой аккаунт или нет.",
        request=s.PasswordResetRequestInputSerializer,
        ok=s.CodeSentOutputSerializer,
        status=202,
        e400=[VALIDATION],
        e429=CODE_REQUEST_429,
        e503=[error_codes.SMS_DELIVERY_FAILED, error_codes.EMAIL_DELIVERY_FAILED],
    )
    def post(self, request):
        data = _validated(s.PasswordResetRequestInputSerializer, request)
        kind, login = data["login"]
        services.password_reset_request(kind=kind, login=login, ip_address=client_ip_get(request))
        return Response(s.CodeSentOutputSerializer.build(CODE_SENT), status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmApi(PublicApi):
    @auth_operation(
        "Задать новый пароль по коду восстановления и получить JWT",
        description="Все прежние refresh-токены аккаунта отзываются.",
        request=s.PasswordResetConfirmInputSerializer,
        ok=s.TokenPairOutputSerializer,
        e400=[*CODE_CONFIRM_400, "password_too_weak"],
    )
    def post(self, request):
        data = _validated(s.PasswordResetConfirmInputSerializer, request)
        kind, login = data["login"]
        user = services.password_reset_confirm(
            kind=kind, login=login, code=data["code"], new_password=data["password"], ip_address=client_ip_get(request)
        )
        return Response(services.token_pair_issue(user=user))


# --- /me/ ---------------------------------------------------------------------------------------


class MeApi(APIView):
    permission_classes = [IsAuthenticated]


class ProfileApi(MeApi):
    @me_operation("Профиль текущего пользователя", ok=s.ProfileOutputSerializer)
    def get(self, request):
        return Response(s.ProfileOutputSerializer(request.user).data)

    @me_operation(
        "Изменить имя и фамилию",
        description="E-mail и телефон меняются через /me/email/ и /me/phone/ с подтверждением кодом.",
        request=s.ProfileUpdateInputSerializer,
        ok=s.ProfileOutputSerializer,
        e400=[VALIDATION],
    )
    def patch(self, request):
        data = _validated(s.ProfileUpdateInputSerializer, request)
        user = services.profile_update(user=request.user, **data)
        return Response(s.ProfileOutputSerializer(user).data)


class EmailChangeRequestApi(MeApi):
    @me_operation(
        "Запросить код для смены e-mail (придёт на новый адрес)",
        request=s.EmailInputSerializer,
        ok=s.CodeSentOutputSerializer,
        status=202,
        e400=[VALIDATION],
        e429=CODE_REQUEST_429,
        e503=[error_codes.EMAIL_DELIVERY_FAILED],
    )
    def post(self, request):
        data = _validated(s.EmailInputSerializer, request)
        services.email_change_request(user=request.user, email=data["email"], ip_address=client_ip_get(request))
        return Response(s.CodeSentOutputSerializer.build(CODE_SENT), status=status.HTTP_202_ACCEPTED)


class EmailChangeConfirmApi(MeApi):
    @me_operation(
        "Подтвердить новый e-mail кодом",
        request=s.EmailConfirmInputSerializer,
        ok=s.ProfileOutputSerializer,
        e400=CODE_CONFIRM_400,
        e409=[error_codes.EMAIL_TAKEN],
    )
    def post(self, request):
        data = _validated(s.EmailConfirmInputSerializer, request)
        user = services.email_change_confirm(
            user=request.user, email=data["email"], code=data["code"], ip_address=client_ip_get(request)
        )
        return Response(s.ProfileOutputSerializer(user).data)


class PhoneChangeRequestApi(MeApi):
    @me_operation(
        "Запросить SMS-код для смены телефона (придёт на новый номер)",
        request=s.PhoneInputSerializer,
        ok=s.CodeSentOutputSerializer,
        status=202,
        e400=[VALIDATION],
        e429=CODE_REQUEST_429,
        e503=[error_codes.SMS_DELIVERY_FAILED],
    )
    def post(self, request):
        data = _validated(s.PhoneInputSerializer, request)
        services.phone_change_request(user=request.user, phone=data["phone"], ip_address=client_ip_get(request))
        return Response(s.CodeSentOutputSerializer.build(CODE_SENT), status=status.HTTP_202_ACCEPTED)


class PhoneChangeConfirmApi(MeApi):
    @me_operation(
        "Подтвердить новый телефон кодом",
        request=s.PhoneConfirmInputSerializer,
        ok=s.ProfileOutputSerializer,
        e400=CODE_CONFIRM_400,
        e409=[error_codes.PHONE_TAKEN],
    )
    def post(self, request):
        data = _validated(s.PhoneConfirmInputSerializer, request)
        user = services.phone_change_confirm(
            user=request.user, phone=data["phone"], code=data["code"], ip_address=client_ip_get(request)
        )
        return Response(s.ProfileOutputSerializer(user).data)


class PasswordChangeApi(MeApi):
    @me_operation(
        "Сменить или впервые задать пароль",
        description="Прежние refresh-токены отзываются; в ответе — новая пара для этого устройства.",
        request=s.PasswordChangeInputSerializer,
        ok=s.TokenPairOutputSerializer,
        e400=[VALIDATION, error_codes.WRONG_PASSWORD, error_codes.PASSWORD_TOO_WEAK],
    )
    def post(self, request):
        data = _validated(s.PasswordChangeInputSerializer, request)
        services.password_change(
            user=request.user, current_password=data["current_password"], new_password=data["password"]
        )
        return Response(services.token_pair_issue(user=request.user))


class ConsentsApi(MeApi):
    @me_operation("Согласия пользователя", ok=s.ConsentsSerializer)
    def get(self, request):
        return Response(s.ConsentsSerializer(s.ConsentsSerializer.build(request.user)).data)

    @me_operation(
        "Дать или отозвать согласия",
        description="Каждое изменение записывается в журнал согласий с временем и IP.",
        request=s.ConsentsSerializer,
        ok=s.ConsentsSerializer,
        e400=[VALIDATION],
    )
    def patch(self, request):
        data = _validated(s.ConsentsSerializer, request)
        user = services.consents_update(user=request.user, ip_address=client_ip_get(request), **data)
        return Response(s.ConsentsSerializer(s.ConsentsSerializer.build(user)).data)


class AccountDeleteApi(MeApi):
    @me_operation(
        "Удалить аккаунт (персональные данные обезличиваются, заказы сохраняются)",
        request=s.AccountDeleteInputSerializer,
        ok=OpenApiResponse(description="Аккаунт удалён, все токены отозваны."),
        status=204,
        e400=[
            VALIDATION,
            error_codes.WRONG_PASSWORD,
            error_codes.ACCOUNT_DELETE_CODE_REQUIRED,
            error_codes.ACCOUNT_DELETE_LOGIN_REQUIRED,
            error_codes.CODE_INVALID,
            error_codes.CODE_ATTEMPTS_EXCEEDED,
        ],
    )
    def post(self, request):
        data = _validated(s.AccountDeleteInputSerializer, request)
        services.user_delete(
            user=request.user, password=data["password"], code=data["code"], ip_address=client_ip_get(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class AccountDeleteCodeApi(MeApi):
    @me_operation(
        "Запросить код подтверждения удаления аккаунта без пароля (SMS, иначе письмо)",
        request=None,
        ok=s.AccountDeleteCodeSentSerializer,
        status=202,
        e400=[error_codes.ACCOUNT_DELETE_NO_CONTACT],
        e429=CODE_REQUEST_429,
        e503=[error_codes.SMS_DELIVERY_FAILED, error_codes.EMAIL_DELIVERY_FAILED],
    )
    def post(self, request):
        channel = services.account_delete_code_request(user=request.user, ip_address=client_ip_get(request))
        body = s.CodeSentOutputSerializer.build(_("Код удаления отправлен."))
        return Response({**body, "channel": channel}, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=ME_TAG)
class AddressViewSet(viewsets.ModelViewSet):
    """Адреса доставки текущего пользователя. Чужие адреса не видны: для них — 404."""

    serializer_class = s.AddressSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    queryset = Address.objects.none()  # только для схемы OpenAPI; данные — из get_queryset()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Address.objects.none()
        return selectors.address_list_for_user(user=self.request.user)

    @extend_schema(
        summary="Список адресов", responses={200: s.AddressSerializer(many=True), **errors(e401=NOT_AUTHENTICATED)}
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Адрес", responses={200: s.AddressSerializer, **errors(e401=NOT_AUTHENTICATED, e404=["not_found"])}
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Добавить адрес (первый становится адресом по умолчанию)",
        responses={201: s.AddressSerializer, **errors(e400=[VALIDATION], e401=NOT_AUTHENTICATED)},
    )
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(
        summary="Изменить адрес (is_default=true делает его адресом по умолчанию)",
        responses={
            200: s.AddressSerializer,
            **errors(e400=[VALIDATION], e401=NOT_AUTHENTICATED, e404=["not_found"]),
        },
    )
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(
        summary="Удалить адрес",
        responses={
            204: OpenApiResponse(description="Удалён."),
            **errors(e401=NOT_AUTHENTICATED, e404=["not_found"]),
        },
    )
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)

    def get_object(self):
        # Http404 из get_object_or_404 core.errors не переводит в единый формат (падает на .detail),
        # поэтому поднимаем NotFound из DRF: чужой и несуществующий адрес неотличимы.
        try:
            return super().get_object()
        except Http404 as error:
            raise NotFound(_("Адрес не найден.")) from error

    def perform_create(self, serializer):
        serializer.instance = services.address_create(user=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.address_update(address=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.address_delete(address=instance)
