"""Таблица итогов `make bench`, JSON результатов и сравнение с прошлым прогоном (--compare)."""

import json

COLUMNS = (
    ("scenario", "сценарий", 30),
    ("rps", "запр/с", 8),
    ("median_ms", "медиана, мс", 11),
    ("p95_ms", "p95, мс", 8),
    ("sql", "SQL", 4),
    ("ratio", "к эталону", 10),
    ("target", "цель", 22),
    ("verdict", "", 3),
)


def _fmt(value, digits=1):
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def scenario_rows(results):
    """Строки таблицы сценариев HTTP: пропускная способность, задержки, SQL, доля эталона, цель."""
    rows = []
    scenarios = results["scenarios"]
    for name, item in scenarios.items():
        ratio = item.get("ratio")
        targets, verdicts = [], []
        if item.get("ratio_target") is not None:
            targets.append(f"≥{item['ratio_target']:.0%} эталона")
            verdicts.append(ratio is not None and ratio >= item["ratio_target"])
        if item.get("p95_limit_ms") is not None:
            targets.append(f"p95<{item['p95_limit_ms']:g}")
            verdicts.append(item.get("p95_ms") is not None and item["p95_ms"] < item["p95_limit_ms"])
        if item.get("max_queries") is not None:
            targets.append(f"SQL≤{item['max_queries']}")
            verdicts.append(item.get("sql") is not None and item["sql"] <= item["max_queries"])
        if item.get("non_2xx") or item.get("errors"):
            verdicts.append(False)
        rows.append(
            {
                "scenario": name,
                "rps": item.get("rps"),
                "median_ms": item.get("median_ms"),
                "p95_ms": item.get("p95_ms"),
                "sql": item.get("sql"),
                "ratio": f"{ratio:.2f}" if ratio is not None else None,
                "target": ", ".join(targets) or None,
                "verdict": ("ок" if all(verdicts) else "нет") if verdicts else "",
            }
        )
    return rows


def table(results):
    """Текст таблицы итогов: сценарии HTTP, затем обмен (строк/с и пиковая память)."""
    lines = []
    meta = results["meta"]
    lines.append(
        f"make bench: BENCH_SCALE={meta['scale']:g}, {meta['products']} товаров, {meta['nproc']} ядра, "
        f"нагрузка {meta['load_before']} → {meta['load_after']}, {meta['concurrency']} соединения, "
        f"PostgreSQL {meta['postgresql']}"
    )
    if meta.get("database_bytes") is not None:
        dataset = (
            "переиспользован" if meta.get("dataset_reused") else f"сгенерирован за {meta['dataset_seconds']:.0f} с"
        )
        lines.append(f"База: {meta['database_bytes'] / 1024**3:.1f} ГБ (pg_database_size); набор данных {dataset}")
    header = " ".join(title.ljust(width) if index == 0 else title.rjust(width) for index, (_key, title, width) in
                      enumerate(COLUMNS))  # fmt: skip
    lines += [header, "-" * len(header)]
    for row in scenario_rows(results):
        cells = []
        for index, (key, _title, width) in enumerate(COLUMNS):
            text = _fmt(row[key])
            cells.append(text.ljust(width) if index in (0, 6) else text.rjust(width))
        lines.append(" ".join(cells).rstrip())
    if results.get("exchange"):
        lines.append("")
        lines.append(f"{'обмен':30} {'строк':>8} {'секунд':>8} {'строк/с':>9} {'пик памяти, МБ':>15}")
        for name, item in results["exchange"].items():
            if "error" in item:
                lines.append(f"{name:30} {item['error']}")
                continue
            hog = "" if item.get("hog_cpu") is None else f"  занято ядро {item['hog_cpu']}, нагрузка {item['load']}"
            lines.append(
                f"{name:30} {item['rows']:>8} {item['seconds']:>8.1f} {item['rows_per_second']:>9.0f} "
                f"{item['peak_mb']:>15.1f}{hog}"
            )
    lines.append(f"Всего: {meta['total_seconds']:.0f} с; JSON: {meta['output']}")
    return "\n".join(lines)


def _change(old, new, *, lower_is_better):
    if old in (None, 0) or new is None:
        return "—"
    delta = (new - old) / old
    better = delta < 0 if lower_is_better else delta > 0
    return f"{delta:+.0%}{' лучше' if better and abs(delta) >= 0.05 else ''}"


def compare(previous, current):
    """Текст сравнения двух прогонов: изменение запр/с, медианы и p95 по каждому сценарию."""
    lines = [
        f"Сравнение с {previous['meta'].get('finished_at', '?')} "
        f"(нагрузка тогда {previous['meta'].get('load_before')}, сейчас {current['meta'].get('load_before')}):",
        f"{'сценарий':30} {'запр/с':>18} {'медиана, мс':>20} {'p95, мс':>20}",
    ]
    for name, item in current["scenarios"].items():
        old = previous.get("scenarios", {}).get(name)
        if old is None:
            lines.append(f"{name:30} (нового сценария не было)")
            continue
        cells = []
        for key, lower in (("rps", False), ("median_ms", True), ("p95_ms", True)):
            change = _change(old.get(key), item.get(key), lower_is_better=lower)
            cells.append(f"{_fmt(old.get(key))}→{_fmt(item.get(key))} {change}")
        lines.append(f"{name:30} {cells[0]:>18} {cells[1]:>20} {cells[2]:>20}")
    for name, item in (current.get("exchange") or {}).items():
        old = (previous.get("exchange") or {}).get(name)
        if old and "rows_per_second" in old and "rows_per_second" in item:
            change = _change(old["rows_per_second"], item["rows_per_second"], lower_is_better=False)
            lines.append(f"{name:30} строк/с {old['rows_per_second']:.0f}→{item['rows_per_second']:.0f} {change}")
    return "\n".join(lines)


def load_json(path):
    """Прочитать JSON прошлого прогона."""
    with open(path, encoding="utf-8") as stream:
        return json.load(stream)
