// Деньги приходят строками с двумя знаками (Decimal на сервере): считаем и сравниваем строки, не float.
import i18n from "./i18n";

export function money(amount: string | null | undefined, currency = "RUB") {
  if (amount === null || amount === undefined || amount === "") return "—";
  const [whole, fraction = "00"] = amount.split(".");
  const grouped = new Intl.NumberFormat(i18n.language).format(BigInt(whole));
  const symbol = currency === "RUB" ? "₽" : currency;
  return `${grouped}${i18n.language === "ru" ? "," : "."}${fraction.padEnd(2, "0").slice(0, 2)} ${symbol}`;
}

export function dateTime(value: string | null | undefined) {
  if (!value) return "—";
  return new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" }).format(new Date(value));
}

/** Проверить строку цены: неотрицательное число с не более чем двумя знаками после точки или запятой. */
export function priceNormalize(text: string): string | null {
  const value = text.trim().replace(",", ".").replace(/\s/g, "");
  return /^\d{1,10}(\.\d{1,2})?$/.test(value) ? value : null;
}

export function todayIso() {
  const now = new Date();
  const offset = now.getTimezoneOffset() * 60_000;
  return new Date(now.getTime() - offset).toISOString().slice(0, 10);
}
