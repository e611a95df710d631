// Сохранённые фильтры очереди заказов: имя → статусы. «К сборке» — заказы в статусе «собирается»
// (оплаченные или подтверждённые при оплате при получении), «к отгрузке» — отгруженные, ещё не доставленные.
import type { Schemas } from "../../api/client";

export type OrderStatus = Schemas["OrderStatusEnum"];

export const SAVED_FILTERS: { key: string; statuses: OrderStatus[] }[] = [
  { key: "new", statuses: ["new"] },
  { key: "awaiting_payment", statuses: ["awaiting_payment"] },
  { key: "paid", statuses: ["paid"] },
  { key: "to_assemble", statuses: ["assembling"] },
  { key: "to_ship", statuses: ["shipped"] },
  { key: "all", statuses: [] },
];

/** Курсор следующей страницы из ссылки next ответа DRF. */
export function cursorFrom(link: string | null | undefined): string | null {
  if (!link) return null;
  return new URL(link, "http://localhost").searchParams.get("cursor");
}
