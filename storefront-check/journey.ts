/**
 * Покупка глазами витрины, в 10 запросов, на типах из схемы OpenAPI (openapi-typescript).
 * tsc --noEmit проверяет, что каждый шаг опирается только на то, что схема обещает:
 * переименованное поле, пропавший путь или другой тип ответа ломают проверку в CI.
 */
import type { components, paths } from "./generated/api";

type Schemas = components["schemas"];
type Method = "get" | "post" | "patch" | "delete";
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type JsonOf<R> = R extends { content: { "application/json": infer B } } ? B : never;
type Success<O> = O extends { responses: infer R }
  ? R extends { 200: infer Ok } ? JsonOf<Ok> : R extends { 201: infer Created } ? JsonOf<Created> : never
  : never;
type RequestBody<O> = O extends { requestBody?: { content: { "application/json": infer B } } } ? B : undefined;

/** Ошибка API в едином формате: error.code — стабильный машинный код. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly body: Schemas["ErrorResponse"]) {
    super(`${body.error.code}: ${body.error.message}`);
  }
}

export interface Session {
  baseUrl: string;
  region: string;
  cartToken?: string;
  accessToken?: string;
}

export async function call<P extends keyof paths, M extends Method>(
  session: Session,
  path: P,
  method: M,
  options: { params?: Record<string, string>; query?: Record<string, string>; body?: RequestBody<Operation<P, M>> } = {},
): Promise<Success<Operation<P, M>>> {
  let url = String(path);
  for (const [name, value] of Object.entries(options.params ?? {})) {
    url = url.replace(`{${name}}`, encodeURIComponent(value));
  }
  const query = new URLSearchParams(options.query ?? {}).toString();
  const headers: Record<string, string> = { "X-Region": session.region, "Content-Type": "application/json" };
  if (session.cartToken) headers["X-Cart-Token"] = session.cartToken;
  if (session.accessToken) headers["Authorization"] = `Bearer ${session.accessToken}`;
  const response = await fetch(`${session.baseUrl}${url}${query ? `?${query}` : ""}`, {
    method: method.toUpperCase(),
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const data = await response.json();
  if (!response.ok) throw new ApiError(response.status, data as Schemas["ErrorResponse"]);
  return data as Success<Operation<P, M>>;
}

/** Деньги приходят строкой с двумя знаками: считаем в копейках, не во float. */
export function kopecks(amount: string): number {
  const [rubles, cents = "0"] = amount.split(".");
  return Number(rubles) * 100 + Number(cents.padEnd(2, "0").slice(0, 2));
}

export async function journey(session: Session): Promise<Schemas["PaymentOutput"]> {
  // 1. Регион посетителя (по заголовку, поддомену, GeoIP или по умолчанию).
  const current: Schemas["RegionCurrentOutput"] = await call(session, "/api/v1/regions/current/", "get");
  session.region = current.region.code;
  // 2. Список товаров: общий конверт страницы.
  const list: Schemas["ProductListSchema"] = await call(session, "/api/v1/catalog/products/", "get", {
    query: { sort: "price", page_size: "24" },
  });
  const card = list.results.find((item) => item.is_available);
  if (!card) throw new Error(`В регионе ${session.region} нет товаров в наличии (страниц: ${list.num_pages})`);
  // 3. Карточка товара: варианты с артикулами.
  const product = await call(session, "/api/v1/catalog/products/{slug}/", "get", { params: { slug: card.slug } });
  const variant = product.variants.find((item) => item.is_available) ?? product.variants[0];
  // 4. В корзину: первый запрос без токена создаёт анонимную корзину.
  const cart: Schemas["CartOutput"] = await call(session, "/api/v1/cart/lines/", "post", {
    body: { variant_id: variant.id, quantity: 1 },
  });
  session.cartToken = cart.token ?? undefined;
  // 5. Способы доставки региона.
  const methods: Schemas["PaginatedDeliveryMethodOutputList"] = await call(session, "/api/v1/delivery/methods/", "get");
  const courier = methods.results.find((item) => item.requires_address) ?? methods.results[0];
  const city = courier.cities[0] ?? "Москва";
  // 6. Стоимость доставки — тем же расчётом, что и оформление.
  const quote: Schemas["DeliveryQuoteOutput"] = await call(session, "/api/v1/delivery/quote/", "post", {
    body: { method: courier.method, city },
  });
  // 7. Способы оплаты региона с названиями на языке запроса.
  const payments: Schemas["PaginatedPaymentMethodOutputList"] = await call(session, "/api/v1/payment-methods/", "get");
  const online = payments.results.find((item) => item.code === "online") ?? payments.results[0];
  // 8. Пункты самовывоза (для способа pickup) — что из корзины можно забрать.
  const points = await call(session, "/api/v1/pickup-points/", "get");
  const pickup = points.results.find((point) => point.all_items_available);
  // 9. Оформление: expected_total — из расчёта; Idempotency-Key защищает повтор.
  const order: Schemas["OrderOutput"] = await call(session, "/api/v1/checkout/", "post", {
    body: {
      contact: { name: "Иван Петров", phone: "+79161234567", email: "ivan@example.ru" },
      delivery:
        courier.requires_pickup_point && pickup
          ? { method: courier.method, warehouse_id: pickup.warehouse_id }
          : { method: courier.method, address: { city, street: "Тверская", house: "1" } },
      payment_method: online.code as Schemas["PaymentMethodEnum"],
      expected_total: quote.total,
    },
  });
  if (kopecks(order.total) !== kopecks(quote.total)) throw new Error("Итог заказа не совпал с расчётом");
  // 10. Оплата: покупатель уходит по confirmation_url и возвращается на витрину.
  const payment = await call(session, "/api/v1/orders/{number}/pay", "post", {
    params: { number: order.number },
    body: { return_url: "https://shop.example.ru/orders/thanks", provider: online.providers[0]?.code },
  });
  console.log(`${order.number} (${order.status_display}): ${payment.amount} ${payment.currency} → ${payment.confirmation_url}`);
  return payment;
}
