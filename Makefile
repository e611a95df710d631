# Megashop: команды разработчика. Главные — `make run` и `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
# Абсолютные ссылки сервера (картинки API v2, ссылка тестовой оплаты) строятся из этих HOST и PORT.
export MEGASHOP_HOST ?= $(HOST)
export MEGASHOP_PORT ?= $(PORT)
# Для тестов — PostgreSQL и Redis на стандартных локальных портах, если не сказано иное.
TEST_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/megashop)
TEST_REDIS_URL ?= $(or $(REDIS_URL),redis://127.0.0.1:6379/0)
PYTEST_ARGS ?=
# Процессы pytest-xdist: auto — по числу ядер; 0 — без xdist (удобно для отладки).
PYTEST_WORKERS ?= auto

.PHONY: help venv run migrate seed test lint format pytest coverage pytest-embedded fuzz services licenses license-check docs messages deploy-check smoke bench bench-onec storefront-check browser-test admin-ui admin-ui-ensure admin-ui-background admin-ui-check admin-ui-e2e clean

help:  ## Показать список команд
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

venv:  ## Создать .venv и установить зависимости (пропускается, если requirements не менялись)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@hash="$$(cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)"; \
	if [ "$$(cat $(VENV)/.requirements-hash 2>/dev/null)" != "$$hash" ]; then \
		echo "Устанавливаю зависимости в $(VENV)..."; \
		$(PY) -m pip install --quiet --upgrade pip && \
		$(PY) -m pip install --quiet -r requirements-dev.txt && \
		echo "$$hash" > $(VENV)/.requirements-hash; \
	else echo "Зависимости уже установлены ($(VENV))."; fi

migrate: venv  ## Применить миграции
	$(PY) manage.py migrate --no-input

seed: migrate  ## Загрузить демонстрационные данные (идемпотентно)
	$(PY) manage.py seed_demo

# runserver --demo сам применяет новые миграции и наполняет демо, только если что-то изменилось
# (config/management/commands/runserver.py): повторный запуск не тратит на это два старта Django.
# React-админка собирается в фоне, параллельно миграциям и наполнению (второе ядро): первый запуск
# не ждёт npm ci и vite; /manage/ заработает, когда сборка кончится (журнал — ADMIN_UI_BUILD_LOG).
run: venv  ## Запустить сервер разработки на SQLite (порт 8000, PORT= меняет): миграции, демо, блок «как войти»
	@$(MAKE) --no-print-directory admin-ui-background
	$(PY) manage.py runserver --demo $(HOST):$(PORT)

services:  ## Запустить PostgreSQL и Redis, если они установлены, но остановлены
	@DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) bash scripts/services.sh ensure

lint: venv  ## ruff check + ruff format --check + контракты зависимостей (import-linter)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	PYTHONPATH=.:site $(VENV)/bin/lint-imports --no-cache

format: venv  ## Отформатировать код
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

pytest: venv services  ## Только тесты (PostgreSQL + Redis), без линтера
	DJANGO_ENV=test DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
		$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --durations=15 --ignore=tests/scaling $(PYTEST_ARGS)
	@# Тесты масштабирования поднимают свои движки на постоянных портах — одним процессом, без xdist.
	DJANGO_ENV=test DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
		$(VENV)/bin/pytest -n 0 --durations=5 tests/scaling $(PYTEST_ARGS)

coverage: venv services  ## Тесты PostgreSQL + Redis с замером покрытия (медленнее; не входит в make test и CI)
	DJANGO_ENV=test DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
		$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --cov --cov-report=term:skip-covered $(PYTEST_ARGS)

pytest-embedded: venv  ## Все тесты на встроенном варианте: SQLite, кэш в памяти, Celery eager
	env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL -u CELERY_RESULT_BACKEND \
		DJANGO_ENV=test MEGASHOP_TEST_EMBEDDED=1 \
		$(VENV)/bin/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider --ignore=tests/scaling $(PYTEST_ARGS)
	env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL -u CELERY_RESULT_BACKEND \
		DJANGO_ENV=test MEGASHOP_TEST_EMBEDDED=1 \
		$(VENV)/bin/pytest -n 0 -p no:cacheprovider tests/scaling $(PYTEST_ARGS)

test: lint pytest pytest-embedded  ## Линтер и все тесты: PostgreSQL + Redis, затем встроенный вариант (SQLite)

licenses: venv  ## Записать таблицу лицензий в docs/sysadmin/licenses.md и проверить политику
	$(PY) scripts/licenses.py --write docs/sysadmin/licenses.md

license-check: venv  ## Проверить лицензии всех установленных пакетов по license-policy.toml
	$(PY) scripts/licenses.py --check

docs: venv  ## Собрать документацию (mkdocs --strict) в site_docs/
	$(VENV)/bin/mkdocs build --strict --quiet

messages: venv  ## Обновить английские переводы (locale/en) из исходников и скомпилировать .mo
	$(PY) manage.py makemessages -l en --ignore ".venv/*" --ignore "staticfiles/*" --ignore "site_docs/*" \
		--ignore "tests/*" --ignore "bench/*" --ignore "admin-ui/*" --ignore "storefront-check/*" --no-obsolete
	$(PY) manage.py compilemessages -l en -l ru --ignore ".venv/*"

deploy-check: venv  ## manage.py check --deploy с настройками production
	DJANGO_ENV=production ALLOWED_HOSTS=shop.example.ru \
		SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
		JWT_SIGNING_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
		$(PY) manage.py check --deploy --fail-level WARNING

fuzz: venv services  ## schemathesis по схемам API магазина и сотрудников на production-сервере; ≈ 5 мин, FUZZ_SECONDS=90, FUZZ_ADMIN_SECONDS=60
	$(PY) scripts/fuzz_api.py

smoke: venv  ## Поднять сервер как `make run` (SQLite) и проверить health, схему и вход в админку
	bash scripts/smoke.sh

bench: venv services  ## Бенчмарк всего магазина рядом с эталоном (BENCH_SCALE=0.01..3, по умолчанию 1; < 15 мин)
	BENCH_SCALE=$(or $(BENCH_SCALE),1) $(PY) bench/run.py $(BENCH_ARGS)

bench-onec: venv services  ## Обмен с 1С: сгенерировать import.xml и offers.xml (PRODUCTS, по умолчанию 100000) и загрузить; цель < 3 мин, < 600 МБ
	$(PY) bench/onec_bench.py --products $(or $(PRODUCTS),100000)

storefront-check: venv  ## Клиент TypeScript из схемы OpenAPI (openapi-typescript) и сценарий покупки под tsc; лицензии npm
	DJANGO_ENV=test $(PY) manage.py spectacular --fail-on-warn --file storefront-check/schema.yml
	cd storefront-check && npm ci --no-audit --no-fund --silent && npm run --silent licenses && \
		npm run --silent generate && npm run --silent check

# --- React-админка admin-ui/ (issue #25): сборка, проверки, сквозной тест --------------------
# Отпечаток исходников сборки: make run пересобирает админку, только когда он изменился.
ADMIN_UI_SOURCES = find admin-ui/src admin-ui/index.html admin-ui/package-lock.json admin-ui/vite.config.ts \
	admin-ui/postcss.config.cjs -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16

# npm ci — только если package-lock.json изменился с прошлой установки (в чистом клоне — всегда).
ADMIN_UI_NPM_CI = cd admin-ui && { [ "$$(sha256sum package-lock.json)" = "$$(cat node_modules/.lock-hash 2>/dev/null)" ] || \
	{ npm ci --no-audit --no-fund --silent && sha256sum package-lock.json > node_modules/.lock-hash; }; }

admin-ui:  ## Собрать React-админку в admin-ui/dist (npm ci, лицензии, tsc, vite build, вес оболочки)
	$(ADMIN_UI_NPM_CI) && npm run --silent licenses && npm run --silent build
	@$(ADMIN_UI_SOURCES) > admin-ui/dist/.source-hash

admin-ui-ensure:  ## Собрать React-админку, если есть node, а сборки нет или она устарела
	@if ! command -v node >/dev/null 2>&1; then \
		echo "React-админка: node не найден — сборка пропущена (/manage/ покажет, как собрать)."; \
	elif [ "$$($(ADMIN_UI_SOURCES))" != "$$(cat admin-ui/dist/.source-hash 2>/dev/null)" ]; then \
		$(MAKE) --no-print-directory admin-ui; \
	fi

ADMIN_UI_BUILD_LOG := var/admin-ui-build.log
admin-ui-background:  ## Как admin-ui-ensure, но сборка идёт в фоне (журнал var/admin-ui-build.log; вторая сборка не стартует)
	@if ! command -v node >/dev/null 2>&1; then \
		echo "React-админка: node не найден — сборка пропущена (/manage/ покажет, как собрать)."; \
	elif [ "$$($(ADMIN_UI_SOURCES))" != "$$(cat admin-ui/dist/.source-hash 2>/dev/null)" ]; then \
		mkdir -p var && echo "React-админка собирается в фоне, журнал $(ADMIN_UI_BUILD_LOG)."; \
		flock -n var/admin-ui-build.lock sh -c "$(MAKE) --no-print-directory admin-ui >$(ADMIN_UI_BUILD_LOG) 2>&1" \
			</dev/null >/dev/null 2>&1 & \
	fi

admin-ui-check: venv  ## Схема сотрудников и типы TypeScript без расхождений, tsc --noEmit, ESLint, vitest (≈ 1 мин)
	DJANGO_ENV=test $(PY) manage.py spectacular --fail-on-warn --validate \
		--custom-settings staffapi.schema.SCHEMA_SETTINGS --file admin-ui/schema.yml
	$(ADMIN_UI_NPM_CI) && npm run --silent licenses && npm run --silent generate
	@git diff --exit-code --stat -- admin-ui/schema.yml admin-ui/src/api/schema.d.ts || \
		{ echo "admin-ui: схема API сотрудников или типы устарели — запустите make admin-ui-check и закоммитьте их."; exit 1; }
	cd admin-ui && npm run --silent typecheck && npm run --silent lint && npm test --silent

admin-ui-e2e: venv admin-ui-ensure  ## Сквозной тест /manage/: Django с демо-данными + Debian chromium (playwright-core), скриншоты в admin-ui/e2e/screenshots/
	bash admin-ui/e2e/run.sh

# --- Установщик (issue #26): архив выпуска и системная проверка установки ---------------------
.PHONY: release install-test
release: admin-ui  ## Архив выпуска dist/megashop-ВЕРСИЯ.tar.gz и .sha256 из закоммиченного HEAD (с собранной React-админкой)
	./install.sh release --output dist

install-test:  ## Установка в Debian под systemd-nspawn (root; образ и колёса ≈ 3 мин один раз, прогон ≈ 7–10 мин)
	bash tests/installer/system/run.sh

browser-test: venv  ## Браузерный тест админки «день менеджера» (Debian chromium + playwright-core, ~6 мин)
	bash tests/browser/run.sh

clean:  ## Удалить .venv, SQLite-базу и собранные файлы
	rm -rf $(VENV) db.sqlite3 staticfiles site_docs .coverage htmlcov
