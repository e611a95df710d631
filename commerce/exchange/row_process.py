"""Разбор листа книги в дочернем процессе, параллельно записи в базу.

Разбор XML листа — чистый Python (около 25 с на 250 тыс. строк × 34 столбца), как и
сравнение строк с базой в основном потоке; в одном процессе они делят GIL и идут по очереди,
даже если разбор вынесен в поток. Дочерний процесс, отделённый через fork после того, как
книга открыта, стражи пройдены, общие строки и заголовок прочитаны, продолжает тот же
итератор строк на втором ядре и передаёт строки пачками через канал (pipe); основной
процесс в это время сравнивает и пишет предыдущие пачки.

- Память ограничена: канал и его буфер вмещают несколько пачек, дальше дочерний процесс ждёт.
- Ошибка чтения (ExchangeFileError) возвращается с кодом и сообщением и поднимается в основном
  процессе на той же строке итерации; процесс, умерший без ответа, — ошибка «файл повреждён».
- Дочерний процесс не трогает базу и завершается через os._exit: ни соединение Django, ни
  обработчики atexit родителя он не закрывает и не вызывает.
- Доля прочитанного (для процента выполнения) приходит вместе с каждой пачкой.
- Где fork нет, строки читает поток (readers.rows_prefetched), как раньше.
"""

import contextlib
import os
import pickle
import signal

from django.utils.translation import gettext as _

from commerce.exchange import error_codes
from commerce.exchange.readers import ExchangeFileError, rows_prefetched

BATCH_ROWS = 2000
_PIPE_BUFFER = 1 << 20


def rows_parallel(rows, progress, *, batch_rows=BATCH_ROWS):
    """Вернуть (итератор строк, функция доли прочитанного), читая rows в дочернем процессе.

    rows — итератор пар (номер строки, значения) открытой книги; progress — функция доли
    прочитанного этой книги. Итератор нужно дочитать или закрыть (close(), contextlib.closing):
    закрытие останавливает дочерний процесс и дожидается его.
    """
    if not hasattr(os, "fork"):
        return rows_prefetched(rows), progress
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child_run(rows, progress, write_end, batch_rows)
    os.close(write_end)
    state = {"progress": 0.0}
    return _ReceivedRows(pid, read_end, state), lambda: state["progress"]


def _child_run(rows, progress, write_end, batch_rows):  # pragma: no cover — выполняется в дочернем процессе
    """Прочитать строки и отправить их пачками; никогда не возвращается."""
    status = 0
    try:
        with os.fdopen(write_end, "wb", buffering=_PIPE_BUFFER) as channel:
            try:
                batch = []
                for row in rows:
                    batch.append(row)
                    if len(batch) >= batch_rows:
                        pickle.dump(("rows", batch, progress()), channel, protocol=pickle.HIGHEST_PROTOCOL)
                        batch = []
                pickle.dump(("rows", batch, progress()), channel, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(("done",), channel)
            except ExchangeFileError as error:
                pickle.dump(("error", error.code, str(error.message)), channel)
            except BrokenPipeError:
                pass
            except Exception as error:  # noqa: BLE001 — передаётся родителю как сбой разбора
                pickle.dump(("crash", f"{type(error).__name__}: {error}"), channel)
    except BrokenPipeError:
        pass
    except BaseException:  # noqa: BLE001 — дочерний процесс обязан завершиться здесь
        status = 1
    finally:
        os._exit(status)


class _ReceivedRows:
    """Итератор строк из канала дочернего процесса; close() останавливает и дожидается его."""

    def __init__(self, pid, read_end, state):
        self.pid = pid
        self.channel = os.fdopen(read_end, "rb", buffering=_PIPE_BUFFER)
        self.state = state
        self.finished = False
        self.reaped = False
        self.rows = self._receive()

    def __iter__(self):
        return self

    def __next__(self):
        return next(self.rows)

    def _receive(self):
        try:
            while True:
                try:
                    message = pickle.load(self.channel)  # noqa: S301 — данные своего дочернего процесса
                except EOFError:
                    raise ExchangeFileError(
                        error_codes.FILE_BROKEN, _("Файл не дочитан: разбор листа прервался.")
                    ) from None
                kind = message[0]
                if kind == "rows":
                    self.state["progress"] = message[2]
                    yield from message[1]
                    continue
                self.finished = True
                if kind == "done":
                    return
                if kind == "error":
                    raise ExchangeFileError(message[1], message[2])
                raise RuntimeError(f"Сбой разбора листа в дочернем процессе: {message[1]}")
        finally:
            self.close()

    def close(self):
        """Закрыть канал и дождаться дочернего процесса (остановив его, если строки не дочитаны)."""
        if self.reaped:
            return
        self.reaped = True
        if not self.finished:
            # Потребитель остановился раньше (ошибка записи, отмена): разбор больше не нужен.
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        self.channel.close()
        os.waitpid(self.pid, 0)
