"""Нагрузчик `make bench`: отдельный процесс, asyncio, HTTP/1.1 только на 127.0.0.1.

Читает из stdin JSON-задание и печатает в stdout JSON-итог. Задание::

    {"port": 8765, "concurrency": 2, "max_requests": 2000, "max_seconds": 30, "warmup": 100,
     "cycle": true, "requests": [["GET", "/api/...", null, {"X-Region": "msk"}], ...]}

Ограничен и числом запросов, и временем: что наступит раньше. ``cycle`` — повторять список
запросов по кругу (GET); без него каждый запрос идёт один раз (POST оформления: у каждого своя
корзина). Замкнутый цикл: ``concurrency`` соединений, каждое шлёт следующий запрос, получив
ответ на предыдущий. Соединение переиспользуется, если сервер не закрыл его (gunicorn sync
закрывает после каждого ответа — тогда открывается новое, это входит в замер, как у клиента
за балансировщиком без keep-alive).

Свой asyncio-клиент, а не http.client в потоках: на двух ядрах нагрузчик делит процессор с
сервером и базой, и чем он дешевле, тем меньше искажает замер (одинаково для нашего сервера и
эталона).
"""

import asyncio
import json
import statistics
import sys
import time

HOST = "127.0.0.1"


class ResponseError(Exception):
    """Ответ с неожиданным статусом или нарушенным форматом."""


async def _read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, _sep, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        raise ResponseError("chunked-ответы нагрузчик не поддерживает")
    elif status in (204, 304):
        body = b""
    else:
        body = await reader.read()
    keep_alive = headers.get("connection", "").lower() != "close"
    return status, body, keep_alive


def _encode(method, path, body, headers):
    payload = b"" if body is None else json.dumps(body).encode()
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}", f"Content-Length: {len(payload)}"]
    if payload and not any(name.lower() == "content-type" for name in headers or {}):
        lines.append("Content-Type: application/json")
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


async def _run(spec, requests, limit, deadline, record):
    """Прогнать до limit запросов concurrency соединениями до срока deadline."""
    port = spec["port"]
    cursor = {"next": 0}
    results = {"latencies": [], "statuses": {}, "errors": []}
    expected = set(spec.get("expected_statuses", [200, 201]))

    def take():
        index = cursor["next"]
        if index >= limit or time.perf_counter() >= deadline:
            return None
        cursor["next"] = index + 1
        return requests[index % len(requests)]

    async def worker():
        reader = writer = None
        while (item := take()) is not None:
            method, path, body, headers = item
            data = _encode(method, path, body, headers)
            started = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(HOST, port)
                writer.write(data)
                status, payload, keep_alive = await _read_response(reader)
            except (OSError, asyncio.IncompleteReadError, ResponseError) as error:
                results["errors"].append(f"{path}: {error!r}")
                writer = None
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if record:
                results["latencies"].append(elapsed)
                results["statuses"][status] = results["statuses"].get(status, 0) + 1
                if status not in expected and len(results["errors"]) < 5:
                    results["errors"].append(f"{method} {path}: HTTP {status} {payload[:200]!r}")
            if not keep_alive:
                writer.close()
                writer = None
        if writer is not None:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(spec.get("concurrency", 2))))
    results["elapsed"] = time.perf_counter() - started
    return results


def percentile(values, fraction):
    """Процентиль по ближайшему рангу (values отсортированы)."""
    if not values:
        return None
    index = max(round(fraction * len(values)) - 1, 0)
    return values[min(index, len(values) - 1)]


def drive(spec):
    """Прогреть и нагрузить сервер по заданию; вернуть словарь с итогами."""
    requests = spec["requests"]
    cycle = spec.get("cycle", True)
    warmup = spec.get("warmup", 0) if cycle else min(spec.get("warmup", 0), len(requests) // 2)
    # Без повтора прогрев расходует первые запросы списка: каждый запрос идёт один раз.
    measured = requests if cycle else requests[warmup:]
    if warmup:
        asyncio.run(_run(spec, requests, warmup, time.perf_counter() + 60, False))
    limit = spec["max_requests"] if cycle else min(spec["max_requests"], len(measured))
    results = asyncio.run(_run(spec, measured, limit, time.perf_counter() + spec["max_seconds"], True))
    latencies = sorted(results["latencies"])
    bad = sum(count for status, count in results["statuses"].items() if status not in (200, 201))
    return {
        "requests": len(latencies),
        "elapsed_s": round(results["elapsed"], 3),
        "rps": round(len(latencies) / results["elapsed"], 1) if results["elapsed"] else 0.0,
        "median_ms": round(statistics.median(latencies), 2) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95), 2) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99), 2) if latencies else None,
        "statuses": {str(status): count for status, count in sorted(results["statuses"].items())},
        "non_2xx": bad,
        "errors": results["errors"][:5],
    }


def main():
    spec = json.load(sys.stdin)
    if spec.get("host", HOST) != HOST:
        sys.exit("Нагрузчик ходит только на 127.0.0.1.")
    json.dump(drive(spec), sys.stdout)


if __name__ == "__main__":
    main()
