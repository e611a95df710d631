import { Button, Group, Select, Stack, Switch, Tabs, TextInput, Title } from "@mantine/core";
import { useDebouncedValue, useHotkeys } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";

import { api, unwrap, type Schemas } from "../../api/client";
import { useMe } from "../../auth/me";
import { dateTime, money } from "../../format";
import { DataTable } from "../../layout/DataTable";
import { ErrorAlert } from "../../layout/ErrorAlert";
import { cursorFrom, SAVED_FILTERS } from "./filters";

type Row = Schemas["OrderList"];
const PAGE_SIZE = 50;
const REFRESH_MS = 30_000;

/** Очередь заказов: сохранённые фильтры, поиск, регион, курсорные страницы на сервере, автообновление, клавиатура. */
export default function OrdersQueue() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data: me } = useMe();
  const [params, setParams] = useSearchParams();
  const filterKey = params.get("filter") ?? "new";
  const region = params.get("region");
  const [search, setSearch] = useState(params.get("q") ?? "");
  const [q] = useDebouncedValue(search.trim(), 300);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [selected, setSelected] = useState(0);
  const [autoRefresh, setAutoRefresh] = useState(true);
  const statuses = SAVED_FILTERS.find((item) => item.key === filterKey)?.statuses ?? [];
  const cursor = cursors[cursors.length - 1];

  const orders = useQuery({
    queryKey: ["orders", filterKey, region, q, cursor],
    queryFn: () =>
      unwrap(
        api.GET("/api/admin/v1/orders/", {
          params: {
            query: {
              status: statuses.length ? statuses : undefined,
              region: region ?? undefined,
              q: q || undefined,
              cursor: cursor ?? undefined,
              page_size: PAGE_SIZE,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: autoRefresh && cursor === null ? REFRESH_MS : false,
  });
  const rows = useMemo(() => orders.data?.results ?? [], [orders.data]);

  const setFilter = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
    setCursors([null]);
    setSelected(0);
  };
  const open = (row: Row | undefined) => row && navigate(`/orders/${row.number}`);
  useHotkeys([
    ["j", () => setSelected((index) => Math.min(index + 1, rows.length - 1))],
    ["ArrowDown", () => setSelected((index) => Math.min(index + 1, rows.length - 1))],
    ["k", () => setSelected((index) => Math.max(index - 1, 0))],
    ["ArrowUp", () => setSelected((index) => Math.max(index - 1, 0))],
    ["Enter", () => open(rows[selected])],
  ]);

  const columns = useMemo<ColumnDef<Row, unknown>[]>(
    () => [
      {
        header: t("orders.number"),
        accessorKey: "number",
        cell: ({ row }) => <Link to={`/orders/${row.original.number}`}>{row.original.number}</Link>,
      },
      { header: t("orders.created"), cell: ({ row }) => dateTime(row.original.created_at) },
      { header: t("orders.status"), accessorKey: "status_label" },
      { header: t("orders.region"), accessorKey: "region" },
      { header: t("orders.customer"), accessorKey: "contact_name" },
      { header: t("orders.phone"), accessorKey: "contact_phone" },
      { header: t("orders.lines"), cell: ({ row }) => t("orders.items", { count: row.original.lines_count }) },
      { header: t("orders.total"), cell: ({ row }) => money(row.original.total, row.original.currency) },
    ],
    [t],
  );

  return (
    <Stack>
      <Title order={2}>{t("orders.title")}</Title>
      <Tabs value={filterKey} onChange={(value) => setFilter("filter", value)}>
        <Tabs.List>
          {SAVED_FILTERS.map((item) => (
            <Tabs.Tab key={item.key} value={item.key}>
              {t(`orders.filter.${item.key}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Group align="end">
        <TextInput
          label={t("orders.search")}
          placeholder={t("orders.searchHint")}
          value={search}
          onChange={(event) => {
            setSearch(event.currentTarget.value);
            setCursors([null]);
          }}
          w={320}
        />
        <Select
          label={t("orders.region")}
          clearable
          placeholder={t("common.all")}
          value={region}
          onChange={(value) => setFilter("region", value)}
          data={(me?.regions ?? []).map((item) => ({ value: item.code, label: item.name }))}
        />
        <Switch
          label={t("orders.autoRefresh")}
          checked={autoRefresh}
          onChange={(event) => setAutoRefresh(event.currentTarget.checked)}
        />
      </Group>
      <ErrorAlert error={orders.error} />
      <DataTable
        data={rows}
        columns={columns}
        caption={t("orders.title")}
        selected={selected}
        rowKey={(row) => row.number}
        onRowClick={(row) => open(row)}
      />
      {orders.isSuccess && rows.length === 0 && <p>{t("orders.empty")}</p>}
      <Group>
        <Button variant="default" disabled={cursors.length === 1} onClick={() => setCursors((list) => list.slice(0, -1))}>
          {t("common.previous")}
        </Button>
        <Button
          variant="default"
          disabled={!orders.data?.next}
          onClick={() => setCursors((list) => [...list, cursorFrom(orders.data?.next)])}
        >
          {t("common.next")}
        </Button>
        <span>{t("orders.keys")}</span>
      </Group>
    </Stack>
  );
}
