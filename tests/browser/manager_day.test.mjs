// «День менеджера» в настоящем браузере: Debian chromium под управлением playwright-core.
// Вход, главная с панелями магазина, правка цены варианта и проверка её в API витрины,
// смена статуса заказа, импорт файла с ходом выполнения. Скриншоты — в screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

import { apiJson, screenshots } from "../../scripts/browser_helpers.mjs";

const BASE = process.env.BASE_URL;
const SHOTS = new URL("./screenshots/", import.meta.url).pathname;
let browser;
let page;

const api = (path, options) => apiJson(BASE, path, options);
const pageShot = screenshots(SHOTS);
const shot = (name) => pageShot(page, name);

before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ["--no-sandbox"] });
  page = await browser.newPage({ locale: "ru-RU", viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await browser?.close();
});

test("менеджер входит и видит панели магазина на главной", async () => {
  await page.goto(`${BASE}/admin/login/`);
  assert.ok(await page.isVisible("text=Вход в Megashop"), "на странице входа нет брендинга Megashop");
  assert.match(await page.title(), / - Megashop$/);
  await shot("01-login");
  await page.fill("#id_username", process.env.ADMIN_USER);
  await page.fill("#id_password", process.env.ADMIN_PASSWORD);
  await Promise.all([page.waitForURL(`${BASE}/admin/`), page.click("button[type=submit]")]);
  for (const panel of ["shop-orders", "shop-exchange", "shop-low-stock", "shop-zero-results"]) {
    assert.ok(await page.isVisible(`[data-panel="${panel}"]`), `нет панели ${panel}`);
  }
  const html = await page.content();
  assert.ok(!html.toLowerCase().includes("gravatar"), "на главной запрос к Gravatar");
  await shot("02-dashboard");
});

test("правка цены варианта видна в API витрины", async () => {
  const product = await api("/api/v1/catalog/products/tshirt-basic/");
  const variant = product.variants[0];
  await page.goto(`${BASE}/admin/snippets/catalog/product/edit/${product.id}/`);
  assert.ok(await page.isVisible(`[data-sku="${variant.sku}"]`), "в форме товара нет таблицы вариантов");
  await shot("03-product");
  await page.goto(`${BASE}/admin/snippets/catalog/variant/edit/${variant.id}/`);
  // Цены — во вкладке «Цены»: открыть её и поставить новую цену во все строки прайс-листов.
  await page.getByRole("tab", { name: "Цены" }).click();
  const prices = page.locator('input[name^="prices-"][name$="-price"]:not([name*="__prefix__"])');
  const count = await prices.count();
  assert.ok(count > 0, "у варианта нет строк цен");
  for (let index = 0; index < count; index += 1) {
    await prices.nth(index).fill("777.00");
  }
  const oldPrices = page.locator('input[name^="prices-"][name$="-old_price"]:not([name*="__prefix__"])');
  for (let index = 0; index < (await oldPrices.count()); index += 1) {
    await oldPrices.nth(index).fill("");
  }
  await shot("04-variant-prices");
  await Promise.all([page.waitForURL(/\/admin\/snippets\/catalog\/variant\/(?!edit)/), page.getByRole("button", { name: "Сохранить" }).first().click()]);
  const after = await api("/api/v1/catalog/products/tshirt-basic/");
  const changed = after.variants.find((item) => item.id === variant.id);
  assert.equal(changed.price, "777.00");
});

test("менеджер меняет статус заказа", async () => {
  const product = await api("/api/v1/catalog/products/tshirt-basic/");
  const cart = await api("/api/v1/cart/lines/", { method: "POST", body: { variant_id: product.variants[1].id, quantity: 1 } });
  const order = await api("/api/v1/checkout/", {
    method: "POST",
    headers: { "X-Cart-Token": cart.token },
    body: {
      contact: { name: "Анна Смирнова", phone: "+7 916 765-43-21", email: "anna@example.ru" },
      delivery: { method: "courier", address: { city: "Москва", street: "Тверская", house: "7" } },
      payment_method: "cash_on_delivery",
      comment: "",
    },
  });
  await page.goto(`${BASE}/admin/`);
  await Promise.all([page.waitForURL(/\/admin\/orders\/status\/\d+\/$/), page.getByRole("link", { name: order.number }).click()]);
  const options = await page.locator("#id_to_status option").allTextContents();
  assert.ok(!options.includes("ожидает оплаты"), `заказу с оплатой при получении предложено «ожидает оплаты»: ${options}`);
  await page.selectOption("#id_to_status", "assembling");
  await page.fill("#id_comment", "Подтверждён по телефону");
  await shot("05-order");
  // Ждать ответа на отправку формы, а не «load» уже загруженной страницы (он наступает сразу).
  await Promise.all([
    page.waitForResponse((response) => response.request().method() === "POST" && response.url().includes("/admin/orders/status/")),
    page.getByRole("button", { name: "Сменить статус" }).click(),
  ]);
  await page.waitForLoadState("load");
  const text = await page.innerText("body");
  assert.match(text, /статус «собирается»/);
  assert.match(text, /Подтверждён по телефону/);
});

test("импорт файла: проверка, ход и применение", async () => {
  await page.goto(`${BASE}/admin/exchange/upload/`);
  await page.setInputFiles("#id_file", process.env.SAMPLE_FILE);
  await page.check("#id_create_missing");
  await shot("06-import-upload");
  await Promise.all([page.waitForURL(/\/admin\/exchange\/upload\/\d+\/$/), page.getByRole("button", { name: "Проверить файл" }).click()]);
  // Страница задания обновляется сама, пока идёт проверка; ждём кнопку подтверждения.
  const confirm = page.getByRole("button", { name: "Подтвердить и применить" });
  await confirm.waitFor({ timeout: 60000 });
  assert.match(await page.innerText("body"), /Состояние/);
  await shot("07-import-review");
  await confirm.click();
  await page.waitForFunction(() => document.body.innerText.includes("Применён"), null, { timeout: 60000 });
  await shot("08-import-done");
  // Журнал импортов: строка открывает страницу задания, «Добавить» — загрузку файла.
  await page.goto(`${BASE}/admin/exchange/imports/`);
  await Promise.all([page.waitForURL(/\/admin\/exchange\/upload\/\d+\/$/), page.locator("table.listing tbody tr a").first().click()]);
  assert.match(await page.innerText("body"), /Что дальше/);
});

test("выгрузка, созданная в админке, выполняется", async () => {
  await page.goto(`${BASE}/admin/exchange/exports/new/`);
  await page.selectOption("#id_file_format", "csv");
  await Promise.all([page.waitForURL(`${BASE}/admin/exchange/exports/`), page.getByRole("button", { name: /Создать|Сохранить/ }).first().click()]);
  await shot("09-export-queued");
  // Встроенный вариант выполняет задачу сразу; в журнале — готовая выгрузка со ссылкой на файл.
  await page.reload();
  assert.match(await page.innerText("table.listing"), /Готов/);
  const href = await page.locator('table.listing a[href*="/download/"]').first().getAttribute("href");
  const file = await page.request.get(BASE + href);
  assert.equal(file.status(), 200);
  assert.match(await file.text(), /sku/);
});

test("главная региона редактируется и видна в API", async () => {
  const pages = await api("/api/v2/pages/?type=regions.RegionHomePage&fields=region_code,hero");
  // Список страниц — в дереве региона запроса (X-Region: msk): берём главную Москвы.
  const home = pages.items.find((item) => item.region_code === "msk");
  assert.ok(home?.hero.title, `у главной Москвы нет демо-содержимого: ${JSON.stringify(pages.items)}`);
  await page.goto(`${BASE}/admin/pages/${home.id}/edit/`);
  assert.ok(await page.isDisabled("#id_region"), "регион главной можно поменять из её формы");
  await page.fill("#id_hero_title", "Белые ночи — скидки");
  await shot("10-region-home");
  // «Опубликовать» — в выпадающем меню кнопки сохранения; нажимаем её как браузер по событию click.
  await Promise.all([
    page.waitForURL(/\/admin\/pages\/\d+\/$/),
    page.locator('button[name="action-publish"]').evaluate((button) => button.click()),
  ]);
  const after = await api(`/api/v2/pages/${home.id}/`);
  assert.equal(after.hero.title, "Белые ночи — скидки");
  assert.equal(after.region_code, "msk");
});
