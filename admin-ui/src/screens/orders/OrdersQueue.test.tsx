import { fireEvent, screen, waitFor } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";

import type { Schemas } from "../../api/client";
import { renderAt } from "../../test/render";
import { server } from "../../test/server";
import OrdersQueue from "./OrdersQueue";

function order(number: string, status: Schemas["OrderStatusEnum"] = "new"): Schemas["OrderList"] {
  return {
    number,
    status,
    status_label: status,
    payment_status: null,
    region: "msk",
    contact_name: "Анна",
    contact_phone: "+79035556677",
    contact_email: "",
    delivery_method: "courier",
    payment_method: "online",
    currency: "RUB",
    total: "1990.00",
    lines_count: 2,
    created_at: "2026-12-01T10:00:00Z",
    updated_at: "2026-12-01T10:00:00Z",
  };
}

describe("очередь заказов", () => {
  it("сохранённый фильтр и поиск уходят на сервер, строки показываются", async () => {
    const seen: URLSearchParams[] = [];
    server.use(
      http.get("*/api/admin/v1/orders/", ({ request }) => {
        const params = new URL(request.url).searchParams;
        seen.push(params);
        const status = params.getAll("status")[0] ?? "new";
        return HttpResponse.json({ next: null, previous: null, results: [order(`MSK-${status}`, status as never)] });
      }),
    );

    renderAt("/orders", "/orders", <OrdersQueue />);

    expect(await screen.findByText("MSK-new")).toBeTruthy();
    expect(seen[0].getAll("status")).toEqual(["new"]);
    expect(screen.getByText("2 позиции")).toBeTruthy();

    fireEvent.click(screen.getByRole("tab", { name: "К сборке" }));
    expect(await screen.findByText("MSK-assembling")).toBeTruthy();
    expect(seen.at(-1)!.getAll("status")).toEqual(["assembling"]);
  });

  it("j/↓ выбирает следующую строку, Enter открывает карточку", async () => {
    server.use(
      http.get("*/api/admin/v1/orders/", () =>
        HttpResponse.json({ next: null, previous: null, results: [order("MSK-1"), order("MSK-2")] }),
      ),
    );
    renderAt("/orders", "/orders", <OrdersQueue />);
    await screen.findByText("MSK-2");
    const rows = () => screen.getAllByTestId("row");
    expect(rows()[0].getAttribute("aria-selected")).toBe("true");

    fireEvent.keyDown(document.documentElement, { key: "j" });
    await waitFor(() => expect(rows()[1].getAttribute("aria-selected")).toBe("true"));
    fireEvent.keyDown(document.documentElement, { key: "Enter" });

    expect(await screen.findByTestId("elsewhere")).toBeTruthy();
  });

  it("ошибка сервера показывается его сообщением", async () => {
    server.use(
      http.get("*/api/admin/v1/orders/", () =>
        HttpResponse.json({ error: { code: "validation_error", message: "Неверный фильтр", fields: [] } }, { status: 400 }),
      ),
    );
    renderAt("/orders", "/orders", <OrdersQueue />);

    expect((await screen.findByRole("alert")).textContent).toContain("Неверный фильтр");
  });
});
