"""Ограничитель частоты запросов к внешней системе: ведро токенов в Redis, общее для всех процессов.

Ведро на подключение хранится в Redis и меняется одним Lua-скриптом (атомарно, время — часы
Redis, а не процессов), поэтому лимит соблюдают вместе все воркеры и веб-процессы. Без Redis
(встроенный вариант `make run`) или при его недоступности работает ведро в памяти процесса.

Лимит системы задаётся как «N запросов за W секунд» (МойСклад: 45/3 с, amoCRM: 7/1 с). Ведро
ёмкостью C, пополняемое со скоростью r, пропускает в любом окне W не больше C + r·W запросов;
чтобы это было не больше N, берём C = max(1, N // 5) и r = (N − C) / W: короткий всплеск
разрешён, а окно системы не переполняется никогда.
"""

import logging
import threading
import time
from dataclasses import dataclass

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

_BUCKET_SCRIPT_LUA = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or capacity
local ts = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'ts', string.format('%.6f', now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
return string.format('%.6f', wait)
"""


@dataclass(frozen=True)
class RateLimit:
    """Лимит системы: не больше ``requests`` запросов за ``seconds`` секунд."""

    requests: int
    seconds: float

    @classmethod
    def parse(cls, value):
        """Разобрать «45/3» (запросов/секунд); пустое значение — None (без лимита).

        Raises:
            ValueError: не в формате «N/W» с положительными числами.
        """
        if not value:
            return None
        requests, _slash, seconds = str(value).partition("/")
        limit = cls(int(requests), float(seconds or 1))
        if limit.requests < 1 or limit.seconds <= 0:
            raise ValueError(f"Лимит должен быть «запросов/секунд» с положительными числами: {value!r}")
        return limit

    @property
    def capacity(self):
        return max(1, self.requests // 5)

    @property
    def rate(self):
        return max(self.requests - self.capacity, 1) / self.seconds


class _LocalBucket:
    """Ведро токенов в памяти процесса (без Redis)."""

    def __init__(self, limit):
        self.limit = limit
        self.tokens = float(limit.capacity)
        self.stamp = time.monotonic()
        self.lock = threading.Lock()

    def take(self):
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.limit.capacity, self.tokens + (now - self.stamp) * self.limit.rate)
            self.stamp = now
            if self.tokens >= 1:
                self.tokens -= 1
                return 0.0
            return (1 - self.tokens) / self.limit.rate


_local_buckets = {}
_local_lock = threading.Lock()
_redis_clients = {}
_redis_scripts = {}


def _redis_client():
    url = settings.REDIS_URL
    if not url:
        return None
    client = _redis_clients.get(url)
    if client is None:
        client = redis.Redis.from_url(
            url, socket_timeout=settings.REDIS_SOCKET_TIMEOUT, socket_connect_timeout=settings.REDIS_SOCKET_TIMEOUT
        )
        _redis_clients[url] = client
    return client


class RateLimiter:
    """Ограничитель для одного ключа (подключения): :meth:`acquire` ждёт свой токен."""

    def __init__(self, *, key, limit):
        self.key = f"megashop:integrations:ratelimit:{key}"
        self.limit = limit

    def _take_redis(self, client):
        script = _redis_scripts.get(id(client))
        if script is None:
            script = _redis_scripts[id(client)] = client.register_script(_BUCKET_SCRIPT_LUA)
        return float(script(keys=[self.key], args=[self.limit.capacity, f"{self.limit.rate:.6f}"]))

    def _take_local(self):
        with _local_lock:
            bucket = _local_buckets.get(self.key)
            if bucket is None or bucket.limit != self.limit:
                bucket = _local_buckets[self.key] = _LocalBucket(self.limit)
        return bucket.take()

    def take(self):
        """Попробовать взять токен: 0 — взят, иначе через сколько секунд пробовать снова."""
        client = _redis_client()
        if client is not None:
            try:
                return self._take_redis(client)
            except Exception as error:  # noqa: BLE001 — Redis упал: лимит в процессе лучше, чем никакого
                logger.warning("Лимит запросов %s: Redis недоступен (%s), считаю в памяти процесса", self.key, error)
        return self._take_local()

    def acquire(self, *, timeout=60.0):
        """Дождаться токена.

        Raises:
            TimeoutError: токен не получен за ``timeout`` секунд.
        """
        deadline = time.monotonic() + timeout
        while True:
            wait = self.take()
            if wait <= 0:
                return
            if time.monotonic() + wait > deadline:
                raise TimeoutError(f"Лимит запросов {self.key}: токен не получен за {timeout} с")
            time.sleep(wait)
