// Сквозной путь по /manage/ в настоящем браузере (Debian chromium + playwright-core) против настоящего Django:
// вход менеджера заказов → смена статуса заказа → вход товароведа → правка цены и её проверка в API витрины →
// импорт файла с ходом выполнения → обзор экранов администратором. Скриншоты — в e2e/screenshots/.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { chromium } from "playwright-core";

import { apiJson, screenshots } from "../../scripts/browser_helpers.mjs";

const BASE = process.env.BASE_URL;
const PASSWORD = process.env.STAFF_PASSWORD;
const SHOTS = new URL("./screenshots/", import.meta.url).pathname;
let browser;
let page;
const consoleErrors = [];

const storefront = (path, options) => apiJson(BASE, path, options);
const pageShot = screenshots(SHOTS);
const shot = (name) => pageShot(page, name);

async function login(username) {
  await page.goto(`${BASE}/manage/`);
  await page.getByLabel("Логин").fill(username);
  await page.getByLabel("Пароль").fill(PASSWORD);
  await page.getByRole("button", { name: "Войти" }).click();
  await page.getByRole("button", { name: "Выйти" }).waitFor();
}

async function logout() {
  await page.getByRole("button", { name: "Выйти" }).click();
  await page.getByRole("button", { name: "Войти" }).waitFor();
}

before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ["--no-sandbox"] });
  page = await browser.newPage({ locale: "ru-RU", viewport: { width: 1360, height: 900 } });
  page.on("pageerror", (error) => consoleErrors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const url = message.location().url ?? "";
    // До входа me/ отвечает 401 — так SPA узнаёт, что нужен вход; браузер пишет это в консоль сам.
    if (url.endsWith("/api/admin/v1/me/") && /40[13]/.test(message.text())) return;
    consoleErrors.push(`${message.text()} ${url}`);
  });
});

after(async () => {
  await browser?.close();
});

test("без входа /manage/ показывает форму входа", async () => {
  await page.goto(`${BASE}/manage/orders`);
  await page.getByRole("heading", { name: "Вход для сотрудников" }).waitFor();
  await shot("01-login");
});

test("менеджер заказов меняет статус заказа из очереди", async () => {
  // given: заказ с оплатой при получении, оформленный через API витрины
  const product = await storefront("/api/v1/catalog/products/tshirt-basic/");
  const cart = await storefront("/api/v1/cart/lines/", { method: "POST", body: { variant_id: product.variants[1].id, quantity: 2 } });
  const order = await storefront("/api/v1/checkout/", {
    method: "POST",
    headers: { "X-Cart-Token": cart.token },
    body: {
      contact: { name: "Анна Смирнова", phone: "+7 916 765-43-21", email: "anna@example.ru" },
      delivery: { method: "courier", address: { city: "Москва", street: "Тверская", house: "7" } },
      payment_method: "cash_on_delivery",
      comment: "Позвонить за час",
    },
  });

  // when
  await login("orders");
  await shot("02-dashboard-orders");
  await page.getByRole("link", { name: "Заказы" }).click();
  await page.getByRole("link", { name: order.number }).waitFor();
  await shot("03-orders-queue");
  await page.getByRole("link", { name: order.number }).click();
  await page.getByTestId("order-status").waitFor();
  assert.equal(await page.getByRole("button", { name: "→ ожидает оплаты" }).count(), 0, "COD-заказу предложено «ожидает оплаты»");
  await page.getByLabel("Комментарий к смене статуса").fill("Подтверждён по телефону");
  await shot("04-order-card");
  await page.getByRole("button", { name: "→ собирается" }).click();

  // then
  await page.getByTestId("order-status").filter({ hasText: "собирается" }).waitFor();
  await page.getByText("Подтверждён по телефону").waitFor();
  await shot("05-order-assembling");
  await logout();
});

test("товаровед правит цену в сетке, и витрина видит новую цену", async () => {
  const product = await storefront("/api/v1/catalog/products/tshirt-basic/");
  const variant = product.variants[0];
  await login("merch");
  await page.goto(`${BASE}/manage/catalog/prices?region=msk&product=${product.id}`);
  const cell = page.getByLabel(`Цена ${variant.sku}`);
  await cell.fill("777");
  await shot("06-price-grid-edit");
  await page.getByRole("button", { name: "Сохранить 1 изменение" }).click();
  await page.getByText("Сохранена 1 строка").waitFor();
  assert.equal(await cell.inputValue(), "777.00");
  await shot("07-price-grid-saved");

  const after = await storefront("/api/v1/catalog/products/tshirt-basic/");
  assert.equal(after.variants.find((item) => item.id === variant.id).price, "777.00");
});

test("импорт файла: загрузка, ход, предпросмотр, применение", async () => {
  await page.getByRole("link", { name: "Импорт и экспорт" }).click();
  // Поле Mantine FileInput — кнопка с подписью; сам файл принимает скрытый input рядом с ней.
  await page.getByLabel("Файл каталога (CSV или XLSX)").waitFor();
  await page.locator('input[type="file"]').setInputFiles(process.env.SAMPLE_FILE);
  await page.getByLabel("создавать новые товары").check();
  await shot("08-import-upload");
  await page.getByRole("button", { name: "Загрузить и проверить" }).click();
  await page.getByTestId("import-progress").waitFor();
  const apply = page.getByRole("button", { name: "Применить" });
  await apply.waitFor({ timeout: 60_000 });
  await page.getByRole("table", { name: "Предпросмотр изменений" }).waitFor();
  await shot("09-import-preview");
  await apply.click();
  await page.getByTestId("import-status").filter({ hasText: "Применён" }).waitFor({ timeout: 60_000 });
  await shot("10-import-done");
  await logout();
});

test("администратор видит главную, товары, покупателей, аналитику и интеграции", async () => {
  await login("manager");
  await page.getByText("Ждут действия (новые и оплаченные)").waitFor();
  await shot("11-dashboard-admin");
  for (const [link, heading, name] of [
    ["Товары", "Товары", "12-products"],
    ["Покупатели", "Покупатели", "13-customers"],
    ["Аналитика", "Аналитика", "14-analytics"],
    ["Интеграции", "Интеграции", "15-integrations"],
  ]) {
    await page.getByRole("navigation").getByRole("link", { name: link, exact: true }).click();
    await page.getByRole("heading", { name: heading, level: 2 }).waitFor();
    await page.waitForLoadState("networkidle");
    await shot(name);
  }
});

test("в консоли браузера нет ошибок", () => {
  assert.deepEqual(consoleErrors, []);
});
