import type { Schemas } from "../../api/client";

/** Итог дня по всем регионам: число заказов и выручка строкой с двумя знаками (сложение в копейках). */
export function revenueTotal(rows: Schemas["OrderStatsRow"][]) {
  let kopecks = 0n;
  let orders = 0;
  for (const row of rows) {
    const [whole, fraction = "00"] = row.revenue.split(".");
    kopecks += BigInt(whole + fraction.padEnd(2, "0").slice(0, 2));
    orders += row.orders;
  }
  const text = kopecks.toString().padStart(3, "0");
  return { orders, revenue: `${text.slice(0, -2)}.${text.slice(-2)}` };
}
