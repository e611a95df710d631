import { fireEvent, screen, waitFor } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";

import type { Schemas } from "../../api/client";
import { renderAt } from "../../test/render";
import { ME, server } from "../../test/server";
import PriceGrid from "./PriceGrid";

const GRID: Schemas["OfferGridPage"] = {
  count: 1,
  next: null,
  previous: null,
  price_list: "msk",
  base_price_list: "base",
  warehouses: ["msk-1"],
  results: [
    {
      variant_id: 7,
      sku: "PHONE-1",
      variant_name: "128 ГБ",
      product_id: 3,
      product_name: "Телефон",
      is_active: true,
      currency: "RUB",
      region_price: "19000.00",
      region_old_price: null,
      base_price: "20000.00",
      base_old_price: null,
      stocks: [{ warehouse: "msk-1", quantity: 5, reserved: 1 }],
    },
  ],
};

function useGrid(bulk: (body: unknown) => Response) {
  server.use(
    http.get("*/api/admin/v1/me/", () => HttpResponse.json({ ...ME, permissions: ["catalog.view_variant"] })),
    http.get("*/api/admin/v1/offers/", () => HttpResponse.json(GRID)),
    http.patch("*/api/admin/v1/offers/bulk/", async ({ request }) => bulk(await request.json())),
  );
}

describe("сетка цен и остатков", () => {
  it("правки ячеек уходят одной пачкой с CSRF", async () => {
    const sent: { body: unknown; csrf: string | null }[] = [];
    useGrid(() => HttpResponse.json({ updated: 2 }));
    server.use(
      http.patch("*/api/admin/v1/offers/bulk/", async ({ request }) => {
        sent.push({ body: await request.json(), csrf: request.headers.get("X-CSRFToken") });
        return HttpResponse.json({ updated: 2 });
      }),
    );
    renderAt("/catalog/prices?region=msk", "/catalog/prices", <PriceGrid />);

    fireEvent.change(await screen.findByLabelText("Цена PHONE-1"), { target: { value: "18500" } });
    fireEvent.change(screen.getByLabelText("Остаток PHONE-1 на складе msk-1"), { target: { value: "9" } });
    fireEvent.click(screen.getByRole("button", { name: "Сохранить 2 изменения" }));

    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0].csrf).toBe("token-1");
    expect(sent[0].body).toEqual({
      rows: [
        { variant_id: 7, price_list: "msk", price: "18500" },
        { variant_id: 7, warehouse: "msk-1", quantity: 9 },
      ],
    });
  });

  it("ошибка сервера rows.N показывается у своей ячейки", async () => {
    useGrid(() =>
      HttpResponse.json(
        { error: { code: "validation_error", message: "Ошибка", fields: [{ path: "rows.0.price", code: "invalid", message: "Цена ниже нуля" }] } },
        { status: 400 },
      ),
    );
    renderAt("/catalog/prices?region=msk", "/catalog/prices", <PriceGrid />);

    fireEvent.change(await screen.findByLabelText("Цена PHONE-1"), { target: { value: "1" } });
    fireEvent.click(screen.getByRole("button", { name: "Сохранить 1 изменение" }));

    expect(await screen.findByText("Цена ниже нуля")).toBeTruthy();
  });

  it("неверная цена не отправляется", async () => {
    let calls = 0;
    useGrid(() => {
      calls += 1;
      return HttpResponse.json({ updated: 0 });
    });
    renderAt("/catalog/prices?region=msk", "/catalog/prices", <PriceGrid />);

    fireEvent.change(await screen.findByLabelText("Цена PHONE-1"), { target: { value: "12.345" } });
    fireEvent.click(screen.getByRole("button", { name: "Сохранить 1 изменение" }));

    expect(await screen.findByText("Цена — число с двумя знаками после запятой")).toBeTruthy();
    expect(calls).toBe(0);
  });
});
