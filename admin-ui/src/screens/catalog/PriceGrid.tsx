import { Alert, Button, Group, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";

import { api, ApiError, unwrap, type Schemas } from "../../api/client";
import { useMe } from "../../auth/me";
import { money } from "../../format";
import { ErrorAlert, errorText } from "../../layout/ErrorAlert";
import { Pager } from "../../layout/Pager";
import { bulkErrorsToCells, bulkPrepare, priceCell, stockCell, type Edits } from "./gridEdits";

type Row = Schemas["OfferRow"];
const PAGE_SIZE = 50;

/** Сетка цен и остатков региона: правка в ячейках, сохранение пачкой, ошибки — у своих ячеек. */
export default function PriceGrid() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const client = useQueryClient();
  const [params, setParams] = useSearchParams();
  const region = params.get("region") ?? me?.regions[0]?.code ?? "";
  const product = params.get("product");
  const [category, setCategory] = useState(params.get("category") ?? "");
  const [categorySlug] = useDebouncedValue(category.trim(), 400);
  const [page, setPage] = useState(1);
  const [edits, setEdits] = useState<Edits>({});
  const [cellErrors, setCellErrors] = useState<Record<string, string>>({});

  const grid = useQuery({
    queryKey: ["offers", region, product, categorySlug, page],
    enabled: Boolean(region),
    queryFn: () =>
      unwrap(
        api.GET("/api/admin/v1/offers/", {
          params: {
            query: {
              region,
              product: product ? Number(product) : undefined,
              category: categorySlug || undefined,
              page,
              page_size: PAGE_SIZE,
            } as never,
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const priceList = grid.data?.price_list ?? grid.data?.base_price_list ?? null;

  const save = useMutation({
    mutationFn: async () => {
      const prepared = bulkPrepare(edits, priceList ?? "", { price: t("grid.badPrice"), quantity: t("grid.badQuantity") });
      if (Object.keys(prepared.invalid).length) throw prepared;
      try {
        return await unwrap(api.PATCH("/api/admin/v1/offers/bulk/", { body: { rows: prepared.rows } }));
      } catch (error) {
        if (error instanceof ApiError && error.status === 400) throw { ...prepared, invalid: bulkErrorsToCells(error.fields, prepared.cells), error };
        throw error;
      }
    },
    onSuccess: async (result) => {
      // Правки убираются, когда сетка уже перечитана: ячейка не мигает старым значением.
      await client.invalidateQueries({ queryKey: ["offers"] });
      setEdits({});
      setCellErrors({});
      notifications.show({ color: "green", message: t("grid.saved", { count: result.updated }) });
    },
    onError: (error: unknown) => {
      if (error && typeof error === "object" && "invalid" in error) {
        setCellErrors((error as { invalid: Record<string, string> }).invalid);
        notifications.show({ color: "red", message: t("grid.fixCells") });
      } else {
        notifications.show({ color: "red", title: t("common.failed"), message: errorText(error, t("errors.network")) });
      }
    },
  });

  const setQuery = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
    setPage(1);
    setEdits({});
    setCellErrors({});
  };
  const edit = (cell: string, value: string, original: string) => {
    setEdits((current) => {
      const next = { ...current };
      if (value === original) delete next[cell];
      else next[cell] = value;
      return next;
    });
    setCellErrors(({ [cell]: _dropped, ...rest }) => rest);
  };
  const changed = Object.keys(edits).length;
  const warehouses = grid.data?.warehouses ?? [];

  const cellInput = (cell: string, original: string, label: string) => (
    <TextInput
      size="xs"
      w={110}
      aria-label={label}
      value={edits[cell] ?? original}
      error={cellErrors[cell]}
      styles={edits[cell] !== undefined ? { input: { background: "var(--mantine-color-yellow-0)" } } : undefined}
      onChange={(event) => edit(cell, event.currentTarget.value, original)}
      data-cell={cell}
    />
  );

  return (
    <Stack>
      <Title order={2}>{t("grid.title")}</Title>
      <Group align="end">
        <Select
          label={t("orders.region")}
          value={region}
          allowDeselect={false}
          onChange={(value) => setQuery("region", value)}
          data={(me?.regions ?? []).map((item) => ({ value: item.code, label: item.name }))}
        />
        <TextInput label={t("products.categorySlug")} value={category} onChange={(event) => (setCategory(event.currentTarget.value), setPage(1))} />
        {product && (
          <Button variant="subtle" onClick={() => setQuery("product", null)}>
            {t("grid.allProducts")}
          </Button>
        )}
        <Button onClick={() => save.mutate()} disabled={!changed || !priceList} loading={save.isPending}>
          {changed ? t("grid.save", { count: changed }) : t("common.save")}
        </Button>
        {changed > 0 && (
          <Button variant="default" onClick={() => (setEdits({}), setCellErrors({}))}>
            {t("common.cancel")}
          </Button>
        )}
      </Group>
      {grid.data && !grid.data.price_list && <Alert color="yellow">{t("grid.noRegionList")}</Alert>}
      <ErrorAlert error={grid.error} />
      <Table striped withTableBorder aria-label={t("grid.title")}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("order.sku")}</Table.Th>
            <Table.Th>{t("order.product")}</Table.Th>
            <Table.Th>{t("grid.basePrice")}</Table.Th>
            <Table.Th>{t("grid.regionPrice")}</Table.Th>
            {warehouses.map((code) => (
              <Table.Th key={code}>{t("grid.stockAt", { warehouse: code })}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(grid.data?.results ?? []).map((row: Row) => {
            const shown = grid.data?.price_list ? row.region_price : row.base_price;
            return (
              <Table.Tr key={row.variant_id} data-sku={row.sku}>
                <Table.Td>{row.sku}</Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {row.product_name} {row.variant_name}
                  </Text>
                </Table.Td>
                <Table.Td>{money(row.base_price, row.currency)}</Table.Td>
                <Table.Td>{cellInput(priceCell(row.variant_id), shown ?? "", t("grid.priceOf", { sku: row.sku }))}</Table.Td>
                {row.stocks.map((stock) => (
                  <Table.Td key={stock.warehouse}>
                    {cellInput(stockCell(row.variant_id, stock.warehouse), String(stock.quantity), t("grid.stockOf", { sku: row.sku, warehouse: stock.warehouse }))}
                    {stock.reserved > 0 && (
                      <Text size="xs" c="dimmed">
                        {t("grid.reserved", { count: stock.reserved })}
                      </Text>
                    )}
                  </Table.Td>
                ))}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {grid.data && <Pager count={grid.data.count} page={page} size={PAGE_SIZE} onChange={setPage} />}
    </Stack>
  );
}
