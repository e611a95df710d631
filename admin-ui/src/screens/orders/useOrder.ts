import { useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";

export const orderKey = (number: string) => ["order", number] as const;

/** Карточка заказа; её поле etag — версия для If-Match в изменениях. */
export function useOrder(number: string) {
  return useQuery({
    queryKey: orderKey(number),
    queryFn: () => unwrap(api.GET("/api/admin/v1/orders/{number}/", { params: { path: { number } } })),
  });
}
