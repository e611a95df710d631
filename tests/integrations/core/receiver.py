"""Фейковый получатель событий для тестов outbox: может «лежать» (503), тормозить и считает повторы.

Получатель отбрасывает повтор по заголовку Idempotency-Key, как должен делать настоящий:
``applied`` — принятые впервые события по порядку прихода, ``requests`` — все запросы по ключу.
"""

import json
import threading
import time
from collections import Counter

from werkzeug import Response


class FakeReceiver:
    def __init__(self):
        self.down = False
        self.lock = threading.Lock()
        self.applied = []  # [(путь, ключ идемпотентности, документ)]
        self.requests = Counter()  # ключ → сколько раз пришёл
        self.accepted = Counter()  # ключ → сколько раз ответили 2xx
        self.slow_first = None  # секунды: первый запрос тормозит столько (чтобы успеть убить воркер)
        self.slow_started = threading.Event()

    def __call__(self, request):
        key = request.headers.get("Idempotency-Key", "")
        with self.lock:
            self.requests[key] += 1
            if self.down:
                return Response("down", status=503)
            slow, self.slow_first = self.slow_first, None
        if slow:
            self.slow_started.set()
            time.sleep(slow)
        with self.lock:
            if key not in {applied_key for _path, applied_key, _doc in self.applied}:
                self.applied.append((request.path, key, json.loads(request.data)))
            self.accepted[key] += 1
        return Response("ok")

    def applied_keys(self, path):
        return [key for applied_path, key, _doc in self.applied if applied_path == path]

    def applied_event_ids(self, path):
        return [doc["id"] for applied_path, _key, doc in self.applied if applied_path == path]
