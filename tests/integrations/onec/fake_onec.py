"""Фейковая 1С: клиент протокола «обмен с сайтом» в той последовательности, в какой ходит 1С.

1С — клиент, сайт — сервер, поэтому «фейк» здесь — HTTP-клиент (requests) против живого
тестового сервера (pytest live_server): checkauth с Basic, cookie из ответа, init, файлы
частями по file_limit, import до success/failure, query/success для заказов.
"""

import time

import requests

EXCHANGE_PATH = "/integrations/1c/exchange/"
BITRIX_PATH = "/bitrix/admin/1c_exchange.php"


class FakeOnec:
    def __init__(self, *, base_url, username, password, path=EXCHANGE_PATH):
        self.url = base_url.rstrip("/") + path
        self.username = username
        self.password = password
        self.http = requests.Session()
        self.cookie = None
        self.file_limit = None
        self.zip = None
        self.requests = 0

    def call(self, exchange_type, mode, *, method="GET", data=None, **params):
        self.requests += 1
        headers = {}
        if self.cookie:
            headers["Cookie"] = f"{self.cookie[0]}={self.cookie[1]}"
        response = self.http.request(
            method,
            self.url,
            params={"type": exchange_type, "mode": mode, **params},
            data=data,
            headers=headers,
            timeout=60,
        )
        assert response.status_code == 200, response.text
        return response

    def lines(self, response):
        return response.content.decode("utf-8").split("\n")

    def checkauth(self, exchange_type="catalog", *, password=None):
        response = self.http.get(
            self.url,
            params={"type": exchange_type, "mode": "checkauth"},
            auth=(self.username.encode(), (self.password if password is None else password).encode()),
            timeout=30,
        )
        assert response.status_code == 200
        lines = self.lines(response)
        if lines[0] == "success":
            # Чистая сессия requests, как у 1С: cookie только из тела ответа, не из Set-Cookie.
            self.http.cookies.clear()
            self.cookie = (lines[1], lines[2])
        return lines

    def init(self, exchange_type="catalog"):
        lines = self.lines(self.call(exchange_type, "init", version="2.10"))
        options = dict(line.split("=", 1) for line in lines if "=" in line)
        self.zip = options.get("zip") == "yes"
        self.file_limit = int(options["file_limit"])
        return lines

    def upload(self, filename, content, exchange_type="catalog"):
        """Отправить файл частями не больше file_limit; вернуть ответы частей."""
        answers = []
        for start in range(0, max(len(content), 1), self.file_limit):
            chunk = content[start : start + self.file_limit]
            answers.append(self.lines(self.call(exchange_type, "file", method="POST", data=chunk, filename=filename)))
        return answers

    def import_file(self, filename, exchange_type="catalog", *, max_calls=200):
        """Звать import, пока не придёт success или failure; вернуть (последний ответ, число вызовов)."""
        for calls in range(1, max_calls + 1):
            lines = self.lines(self.call(exchange_type, "import", filename=filename))
            if lines[0] != "progress":
                return lines, calls
            time.sleep(0.1)  # 1С переспрашивает не сразу
        raise AssertionError("import не закончился")

    def catalog_exchange(self, archive_or_files):
        """Полный обмен каталогом: checkauth → init → файлы → import каждого XML."""
        assert self.checkauth()[0] == "success"
        self.init()
        results = {}
        if isinstance(archive_or_files, bytes):
            self.upload("v8_2C7E_125d5b.zip", archive_or_files)
            names = ["import.xml", "offers.xml"]
        else:
            for name, content in archive_or_files.items():
                self.upload(name, content)
            names = [name for name in archive_or_files if name.endswith(".xml")]
        for name in names:
            results[name] = self.import_file(name)[0]
        self.call("catalog", "complete")
        return results
