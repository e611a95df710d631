// Сервер MSW для тестов компонентов: отвечает в формате API сотрудников (типы из schema.d.ts).
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";

import type { Schemas } from "../api/client";

export const ME: Schemas["Me"] = {
  id: 1,
  username: "orders",
  email: "orders@example.ru",
  first_name: "Ольга",
  last_name: "",
  is_superuser: false,
  groups: ["Менеджер заказов"],
  permissions: ["orders.view_order", "orders.change_order", "orders.change_order_status"],
  all_regions: true,
  regions: [{ id: 1, code: "msk", name: "Москва" }],
  api_key: null,
};

export const server = setupServer(
  http.get("*/api/admin/v1/auth/csrf/", () => HttpResponse.json({ csrf_token: "token-1" })),
  http.get("*/api/admin/v1/me/", () => HttpResponse.json(ME)),
);
