"""Разбор листа в дочернем процессе: строки по порядку, ошибки и остановка потребителем."""

import os

import pytest

from commerce.exchange import error_codes
from commerce.exchange.readers import ExchangeFileError
from commerce.exchange.row_process import rows_parallel


def _rows(count, *, fail_at=None, crash_at=None):
    for number in range(1, count + 1):
        if number == fail_at:
            raise ExchangeFileError(error_codes.FILE_BROKEN, "Файл XLSX повреждён: лист не читается.")
        if number == crash_at:
            raise ValueError("неожиданный сбой")
        yield number, [f"sku-{number}", number * 1.5, None]


def _process_gone(pid):
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_rows_arrive_in_order_with_progress_from_the_child():
    # given: 5 000 строк, пачки по 2 000
    read = {"count": 0}

    def progress():
        return read["count"] / 5000

    def rows():
        for row in _rows(5000):
            read["count"] += 1
            yield row

    # when
    received, received_progress = rows_parallel(rows(), progress)
    result = list(received)

    # then: все строки по порядку, доля прочитанного — из дочернего процесса, процесс завершён
    assert [number for number, _values in result] == list(range(1, 5001))
    assert result[41] == (42, ["sku-42", 63.0, None])
    assert received_progress() == 1.0
    assert read["count"] == 0  # родитель сам строки не читал
    assert _process_gone(received.pid)


def test_file_error_in_the_child_is_raised_in_the_parent_with_its_code():
    received, _progress = rows_parallel(_rows(5000, fail_at=4500), lambda: 0.0)

    with pytest.raises(ExchangeFileError) as caught:
        list(received)

    assert caught.value.code == error_codes.FILE_BROKEN
    assert "повреждён" in caught.value.message
    assert _process_gone(received.pid)


def test_unexpected_failure_in_the_child_is_not_mistaken_for_a_bad_file():
    received, _progress = rows_parallel(_rows(100, crash_at=10), lambda: 0.0)

    with pytest.raises(RuntimeError, match="ValueError: неожиданный сбой"):
        list(received)


def test_closing_early_stops_the_child_even_before_the_first_row():
    # given: строк много больше, чем вмещает канал, — дочерний процесс ждёт на записи
    received, _progress = rows_parallel(_rows(200_000), lambda: 0.0)

    # when: потребитель не прочитал ни строки (например, упала запись до цикла)
    received.close()

    # then: процесс остановлен и собран, повторное закрытие безопасно
    assert _process_gone(received.pid)
    received.close()


def test_closing_after_some_rows_stops_the_child():
    received, _progress = rows_parallel(_rows(200_000), lambda: 0.0)
    first = [next(received) for _ in range(3)]

    received.close()

    assert [number for number, _values in first] == [1, 2, 3]
    assert _process_gone(received.pid)
