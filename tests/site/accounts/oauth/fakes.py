"""Поддельные VK ID и Яндекс ID на 127.0.0.1: говорят по документированному протоколу.

Сервер авторизации выдаёт код, привязанный к code_challenge, redirect_uri и (VK) device_id;
сервер токенов проверяет S256 от присланного verifier, одноразовость кода и — у VK ID —
что публичное приложение не прислало client_secret. Тесты гоняют через них НАШ настоящий
HTTP-клиент, ничего в нашем коде не подменяя.
"""

import base64
import hashlib
import json
import re
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

from werkzeug import Request, Response


def s256(verifier):
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


def _json(data, status=200):
    return Response(json.dumps(data, ensure_ascii=False), status=status, content_type="application/json")


class FakeProvider:
    """Общее: выданные коды, журнал запросов к токенам, сломанный режим («провайдер лежит»)."""

    def __init__(self, httpserver, prefix, client_id):
        self.httpserver = httpserver
        self.prefix = prefix
        self.client_id = client_id
        self.codes = {}
        self.tokens = {}
        self.token_requests = []
        self.down = False
        self.user = {}

    def url(self, path=""):
        return self.httpserver.url_for(f"{self.prefix}{path}")

    def authorize(self, authorize_url, **extra):
        """Сделать то, что делает браузер покупателя: открыть адрес авторизации и взять адрес возврата.

        Returns:
            параметры адреса возврата (code, state, ...), как их увидит витрина.
        """
        import requests

        response = requests.get(authorize_url, params=extra, allow_redirects=False, timeout=5)
        assert response.status_code == 302, response.text
        return {key: values[0] for key, values in parse_qs(urlsplit(response.headers["Location"]).query).items()}

    def _authorize(self, request: Request, *, challenge_method, with_device_id):
        args = request.args
        if args.get("response_type") != "code" or args.get("client_id") != self.client_id:
            return _json({"error": "invalid_request"}, 400)
        if args.get("code_challenge_method") != challenge_method or not args.get("code_challenge"):
            return _json({"error": "invalid_request", "error_description": "PKCE required"}, 400)
        code = secrets.token_urlsafe(16)
        grant = {"challenge": args["code_challenge"], "redirect_uri": args["redirect_uri"], "scope": args.get("scope")}
        params = {"code": code, "state": args.get("state", "")}
        if with_device_id:
            grant["device_id"] = params["device_id"] = secrets.token_hex(8)
            params["type"] = "code_v2"
        self.codes[code] = grant
        return Response(status=302, headers={"Location": f"{args['redirect_uri']}?{urlencode(params)}"})

    def _grant(self, form, *, check_redirect):
        """Проверить код и verifier по RFC 7636; вернуть выданный грант или ответ-ошибку."""
        grant = self.codes.pop(form.get("code", ""), None)  # код одноразовый
        if grant is None:
            return None, _json({"error": "invalid_grant", "error_description": "code is invalid or expired"}, 400)
        if s256(form.get("code_verifier", "")) != grant["challenge"]:
            return None, _json({"error": "invalid_grant", "error_description": "code_verifier mismatch"}, 400)
        if check_redirect and form.get("redirect_uri") != grant["redirect_uri"]:
            return None, _json({"error": "invalid_grant", "error_description": "redirect_uri mismatch"}, 400)
        return grant, None


class FakeVkId(FakeProvider):
    """VK ID: /authorize, /oauth2/auth, /oauth2/user_info."""

    def install(self):
        self.httpserver.expect_request(f"{self.prefix}/authorize", method="GET").respond_with_handler(
            lambda request: self._authorize(request, challenge_method="s256", with_device_id=True)
        )
        self.httpserver.expect_request(f"{self.prefix}/oauth2/auth", method="POST").respond_with_handler(self._token)
        self.httpserver.expect_request(f"{self.prefix}/oauth2/user_info", method="POST").respond_with_handler(
            self._user_info
        )
        return self

    def _token(self, request: Request):
        form = request.form
        self.token_requests.append(dict(form))
        if self.down:
            return Response("Bad Gateway", status=502)
        if form.get("grant_type") != "authorization_code" or form.get("client_id") != self.client_id:
            return _json({"error": "invalid_request"}, 400)
        if "client_secret" in form:
            # Публичное приложение (PKCE) не должно слать секрет.
            return _json({"error": "invalid_client", "error_description": "public client must not send secret"}, 400)
        if not form.get("device_id"):
            return _json({"error": "invalid_request", "error_description": "device_id is required"}, 400)
        grant, error = self._grant(form, check_redirect=True)
        if error is not None:
            return error
        if form["device_id"] != grant["device_id"]:
            return _json({"error": "invalid_grant", "error_description": "device_id mismatch"}, 400)
        access_token = secrets.token_urlsafe(24)
        self.tokens[access_token] = dict(self.user)
        return _json(
            {
                "access_token": access_token,
                "refresh_token": secrets.token_urlsafe(24),
                "id_token": "header.payload.signature",
                "token_type": "Bearer",
                "expires_in": 3600,
                "user_id": self.user.get("user_id"),
                "state": form.get("state"),
                "scope": grant["scope"],
            }
        )

    def _user_info(self, request: Request):
        if self.down:
            return Response("down", status=503)
        form = request.form
        user = self.tokens.get(form.get("access_token", ""))
        if user is None or form.get("client_id") != self.client_id:
            return _json({"error": "invalid_token"}, 401)
        return _json({"user": user})


class FakeYandex(FakeProvider):
    """Яндекс ID: oauth-сервер (/authorize, /token) и login-сервер (/info) под разными префиксами."""

    def __init__(self, httpserver, prefix, client_id, client_secret, login_prefix):
        super().__init__(httpserver, prefix, client_id)
        self.client_secret = client_secret
        self.login_prefix = login_prefix

    def login_url(self):
        return self.httpserver.url_for(self.login_prefix)

    def install(self):
        self.httpserver.expect_request(f"{self.prefix}/authorize", method="GET").respond_with_handler(
            lambda request: self._authorize(request, challenge_method="S256", with_device_id=False)
        )
        self.httpserver.expect_request(f"{self.prefix}/token", method="POST").respond_with_handler(self._token)
        self.httpserver.expect_request(f"{self.login_prefix}/info", method="GET").respond_with_handler(self._info)
        return self

    def _token(self, request: Request):
        form = request.form
        self.token_requests.append(dict(form))
        if self.down:
            return Response("down", status=503)
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return _json({"error": "invalid_client", "error_description": "Client not found"}, 400)
        if form.get("grant_type") != "authorization_code":
            return _json({"error": "unsupported_grant_type"}, 400)
        _grant, error = self._grant(form, check_redirect=False)
        if error is not None:
            return error
        access_token = secrets.token_urlsafe(24)
        self.tokens[access_token] = dict(self.user)
        return _json(
            {"access_token": access_token, "expires_in": 31536000, "refresh_token": "r", "token_type": "bearer"}
        )

    def _info(self, request: Request):
        header = request.headers.get("Authorization", "")
        user = self.tokens.get(header.removeprefix("OAuth ")) if header.startswith("OAuth ") else None
        if user is None or request.args.get("format") != "json":
            return Response("", status=401)
        return _json({**user, "client_id": self.client_id})


RQUID = re.compile(r"^[0-9a-fA-F]{32}$")


class FakeSberId(FakeProvider):
    """Сбер ID: страница авторизации (/CSAFront/oidc/authorize.do) и API (/tokens/v2/oidc, userinfo).

    Как у Сбера: авторизация требует client_type=PRIVATE, scope с openid и nonce; сервер токенов —
    заголовок rquid из 32 hex, client_secret, redirect_uri как при авторизации и PKCE S256;
    userinfo — Bearer-токен и x-introspect-rquid. Клиентский сертификат проверяет TLS, а не
    ``api_server`` — отдельный сервер HTTPS с обязательным клиентским сертификатом (mTLS), как
    oauth.sber.ru; страница авторизации (online.sberbank.ru) — обычный сервер «для браузера».
    """

    def __init__(self, httpserver, prefix, client_id, client_secret, api_server, api_prefix):
        super().__init__(httpserver, prefix, client_id)
        self.client_secret = client_secret
        self.api_server = api_server
        self.api_prefix = api_prefix
        self.info_requests = []

    def authorize_url(self):
        return self.url("/CSAFront/oidc/authorize.do")

    def api_url(self):
        return self.api_server.url_for(self.api_prefix)

    def install(self):
        self.httpserver.expect_request(f"{self.prefix}/CSAFront/oidc/authorize.do", method="GET").respond_with_handler(
            self._sber_authorize
        )
        self.api_server.expect_request(f"{self.api_prefix}/tokens/v2/oidc", method="POST").respond_with_handler(
            self._token
        )
        self.api_server.expect_request(
            f"{self.api_prefix}/sberbankid/v2.1/userinfo", method="GET"
        ).respond_with_handler(self._userinfo)
        return self

    def _sber_authorize(self, request: Request):
        args = request.args
        if args.get("client_type") != "PRIVATE" or "openid" not in args.get("scope", "").split():
            return _json({"error": "invalid_request", "error_description": "client_type/scope"}, 400)
        if not args.get("nonce"):
            return _json({"error": "invalid_request", "error_description": "nonce is required"}, 400)
        return self._authorize(request, challenge_method="S256", with_device_id=False)

    def _token(self, request: Request):
        form = request.form
        self.token_requests.append({**form, "rquid": request.headers.get("rquid", "")})
        if self.down:
            return Response("Service Unavailable", status=503)
        if not RQUID.match(request.headers.get("rquid", "")):
            return _json({"error": "invalid_request", "error_description": "rquid header"}, 400)
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return _json({"error": "invalid_client"}, 401)
        if form.get("grant_type") != "authorization_code":
            return _json({"error": "unsupported_grant_type"}, 400)
        _grant, error = self._grant(form, check_redirect=True)
        if error is not None:
            return error
        access_token = secrets.token_hex(16).upper()
        self.tokens[access_token] = dict(self.user)
        return _json(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 60,
                "scope": "openid name mobile email",
                "id_token": "header.payload.signature",
            }
        )

    def _userinfo(self, request: Request):
        self.info_requests.append(dict(request.headers))
        if self.down:
            return Response("down", status=503)
        header = request.headers.get("Authorization", "")
        user = self.tokens.get(header.removeprefix("Bearer ")) if header.startswith("Bearer ") else None
        if user is None:
            return _json({"error": "invalid_token"}, 401)
        if not RQUID.match(request.headers.get("x-introspect-rquid", "")):
            return _json({"error": "invalid_request", "error_description": "x-introspect-rquid"}, 400)
        return _json({**user, "aud": self.client_id, "iss": "https://online.sberbank.ru/CSAFront/index.do"})
