import { describe, expect, it } from "vitest";

import i18n from ".";
import { en } from "./en";
import { ru, type Translations } from "./ru";

const PLURAL = /_(zero|one|two|few|many|other)$/;

function keys(tree: Translations, prefix = ""): Set<string> {
  const result = new Set<string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix + key.replace(PLURAL, "");
    if (typeof value === "string") result.add(path);
    else keys(value, path + ".").forEach((item) => result.add(item));
  }
  return result;
}

describe("переводы", () => {
  it("английский перевод есть у каждой русской строки и наоборот", () => {
    expect([...keys(en)].sort()).toEqual([...keys(ru)].sort());
  });

  it("русские формы множественного числа: 1, 2–4, 5–20, 21", async () => {
    await i18n.changeLanguage("ru");
    const t = i18n.getFixedT("ru");
    expect([1, 3, 5, 11, 21, 22, 25].map((count) => t("dashboard.orders", { count }))).toEqual([
      "1 заказ",
      "3 заказа",
      "5 заказов",
      "11 заказов",
      "21 заказ",
      "22 заказа",
      "25 заказов",
    ]);
  });

  it("английские формы: one и other", () => {
    const t = i18n.getFixedT("en");
    expect([t("orders.items", { count: 1 }), t("orders.items", { count: 2 })]).toEqual(["1 item", "2 items"]);
  });
});
