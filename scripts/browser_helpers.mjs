// Общие помощники браузерных тестов (admin-ui/e2e/journey.test.mjs и tests/browser/manager_day.test.mjs):
// запрос к API магазина с проверкой ответа и скриншоты. Playwright здесь не импортируется — у каждого
// теста свой node_modules, модуль работает только с тем, что ему передали.
import assert from "node:assert/strict";

// Вызвать API магазина (регион msk) и вернуть JSON; ответ не 2xx — падение теста с телом ответа.
export async function apiJson(base, path, { method = "GET", body, headers = {} } = {}) {
  const response = await fetch(base + path, {
    method,
    headers: { "Content-Type": "application/json", "X-Region": "msk", ...headers },
    body: body && JSON.stringify(body),
  });
  const data = await response.json();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(data)}`);
  return data;
}

// Снять страницу целиком в папку скриншотов: shot = screenshots(folder); await shot(page, "имя").
export function screenshots(folder) {
  return (page, name) => page.screenshot({ path: `${folder}${name}.png`, fullPage: true });
}
