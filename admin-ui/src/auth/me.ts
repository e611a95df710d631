// Сотрудник и его права из me/: интерфейс прячет то, что не разрешено (сервер всё равно проверяет сам).
import { useQuery } from "@tanstack/react-query";

import { api, ApiError, unwrap, type Schemas } from "../api/client";

export type Me = Schemas["Me"];

export const ME_KEY = ["me"] as const;

export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async (): Promise<Me | null> => {
      try {
        return await unwrap(api.GET("/api/admin/v1/me/"));
      } catch (error) {
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/** Есть ли у сотрудника все перечисленные права («приложение.код»). */
export function can(me: Me | null | undefined, ...codes: string[]): boolean {
  if (!me) return false;
  return me.is_superuser || codes.every((code) => me.permissions.includes(code));
}

// Права, от которых зависят экраны (те же коды, что в required_permissions представлений staffapi).
export const PERMS = {
  orders: ["orders.view_order"],
  orderStatus: ["orders.view_order", "orders.change_order_status"],
  orderChange: ["orders.view_order", "orders.change_order"],
  products: ["catalog.view_product"],
  productChange: ["catalog.change_product"],
  grid: ["catalog.view_variant", "pricing.view_variantprice", "inventory.view_stock"],
  imports: ["exchange.run_import"],
  runImport: ["exchange.run_import"],
  customers: ["accounts.view_user"],
  searchAnalytics: ["search.view_search_analytics"],
  orderAnalytics: ["orders.view_order"],
  integrations: ["integrations_core.view_connection"],
  stuck: ["integrations_core.view_delivery"],
  retry: ["integrations_core.view_delivery", "integrations_core.change_delivery"],
} as const;
