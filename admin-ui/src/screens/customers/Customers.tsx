import { Badge, Group, Select, Stack, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";

import { api, unwrap, type Schemas } from "../../api/client";
import { dateTime } from "../../format";
import { DataTable } from "../../layout/DataTable";
import { ErrorAlert } from "../../layout/ErrorAlert";
import { Pager } from "../../layout/Pager";

type Row = Schemas["Customer"];
const PAGE_SIZE = 50;

/** Покупатели: поиск по точному e-mail, телефону, логину или номеру заказа; контакты замаскированы. */
export default function Customers() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [search, setSearch] = useState("");
  const [active, setActive] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [q] = useDebouncedValue(search.trim(), 300);
  const customers = useQuery({
    queryKey: ["customers", q, active, page],
    queryFn: () =>
      unwrap(
        api.GET("/api/admin/v1/customers/", {
          params: { query: { q: q || undefined, is_active: active === null ? undefined : active === "yes", page, page_size: PAGE_SIZE } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const columns = useMemo<ColumnDef<Row, unknown>[]>(
    () => [
      { header: t("customers.name"), cell: ({ row }) => <Link to={`/customers/${row.original.id}`}>{row.original.name || "—"}</Link> },
      { header: t("customers.email"), accessorKey: "email" },
      { header: t("customers.phone"), accessorKey: "phone" },
      { header: t("customers.orders"), accessorKey: "orders_count" },
      { header: t("customers.joined"), cell: ({ row }) => dateTime(row.original.date_joined) },
      {
        header: t("customers.state"),
        cell: ({ row }) => <Badge color={row.original.is_active ? "green" : "red"}>{row.original.is_active ? t("customers.active") : t("customers.blocked")}</Badge>,
      },
    ],
    [t],
  );
  return (
    <Stack>
      <Title order={2}>{t("customers.title")}</Title>
      <Group align="end">
        <TextInput label={t("customers.search")} description={t("customers.searchHint")} value={search} onChange={(event) => (setSearch(event.currentTarget.value), setPage(1))} w={360} />
        <Select
          label={t("customers.state")}
          clearable
          placeholder={t("common.all")}
          value={active}
          onChange={(value) => (setActive(value), setPage(1))}
          data={[
            { value: "yes", label: t("customers.active") },
            { value: "no", label: t("customers.blocked") },
          ]}
        />
      </Group>
      <ErrorAlert error={customers.error} />
      <DataTable data={customers.data?.results ?? []} columns={columns} caption={t("customers.title")} rowKey={(row) => String(row.id)} onRowClick={(row) => navigate(`/customers/${row.id}`)} />
      {customers.data && <Pager count={customers.data.count} page={page} size={PAGE_SIZE} onChange={setPage} />}
    </Stack>
  );
}
