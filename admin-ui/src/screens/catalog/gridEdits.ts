// Правки сетки цен и остатков: ячейка → строка пачки PATCH offers/bulk/ и обратно (ошибка rows.N.поле → ячейка).
import type { Schemas } from "../../api/client";
import { priceNormalize } from "../../format";

export type BulkRow = Schemas["OfferBulkRowRequest"];

/** Ключ ячейки: «id:price» или «id:stock:код склада». */
export const priceCell = (variantId: number) => `${variantId}:price`;
export const stockCell = (variantId: number, warehouse: string) => `${variantId}:stock:${warehouse}`;

export type Edits = Record<string, string>;

export type Prepared = { rows: BulkRow[]; cells: string[]; invalid: Record<string, string> };

/** Собрать строки пачки из правок; неверные значения — ошибки ячеек (не отправляются). */
export function bulkPrepare(edits: Edits, priceList: string, messages: { price: string; quantity: string }): Prepared {
  const rows: BulkRow[] = [];
  const cells: string[] = [];
  const invalid: Record<string, string> = {};
  for (const [cell, text] of Object.entries(edits)) {
    const [id, kind, warehouse] = cell.split(":");
    const variant_id = Number(id);
    if (kind === "price") {
      const price = priceNormalize(text);
      if (price === null) invalid[cell] = messages.price;
      else rows.push({ variant_id, price_list: priceList, price });
    } else {
      const value = text.trim();
      if (!/^\d{1,10}$/.test(value)) invalid[cell] = messages.quantity;
      else rows.push({ variant_id, warehouse, quantity: Number(value) });
    }
    if (!invalid[cell]) cells.push(cell);
  }
  return { rows, cells, invalid };
}

/** Ошибки сервера по путям rows.N.поле → сообщения для ячеек, из которых собраны строки. */
export function bulkErrorsToCells(fields: { path: string; message: string }[], cells: string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const field of fields) {
    const match = /^rows\.(\d+)(?:\.|$)/.exec(field.path);
    const cell = match ? cells[Number(match[1])] : undefined;
    if (cell) result[cell] = result[cell] ? `${result[cell]} ${field.message}` : field.message;
  }
  return result;
}
