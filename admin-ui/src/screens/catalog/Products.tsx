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

type Row = Schemas["ProductList"];
const PAGE_SIZE = 50;

/** Товары: поиск, фильтры по категории, бренду и активности, страницы на сервере. */
export default function Products() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [search, setSearch] = useState("");
  const [category, setCategory] = useState("");
  const [brand, setBrand] = useState("");
  const [active, setActive] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [q] = useDebouncedValue(search.trim(), 300);
  const [categorySlug] = useDebouncedValue(category.trim(), 300);
  const [brandSlug] = useDebouncedValue(brand.trim(), 300);
  const products = useQuery({
    queryKey: ["products", q, categorySlug, brandSlug, active, page],
    queryFn: () =>
      unwrap(
        api.GET("/api/admin/v1/products/", {
          params: {
            query: {
              q: q || undefined,
              category: categorySlug || undefined,
              brand: brandSlug || undefined,
              is_active: active === null ? undefined : active === "yes",
              page,
              page_size: PAGE_SIZE,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const columns = useMemo<ColumnDef<Row, unknown>[]>(
    () => [
      { header: t("products.name"), cell: ({ row }) => <Link to={`/catalog/${row.original.id}`}>{row.original.name}</Link> },
      { header: t("products.category"), accessorKey: "main_category" },
      { header: t("products.brand"), cell: ({ row }) => row.original.brand ?? "—" },
      { header: t("products.variants"), accessorKey: "variants_count" },
      {
        header: t("products.active"),
        cell: ({ row }) => <Badge color={row.original.is_active ? "green" : "gray"}>{row.original.is_active ? t("common.yes") : t("common.no")}</Badge>,
      },
      { header: t("products.updated"), cell: ({ row }) => dateTime(row.original.updated_at) },
    ],
    [t],
  );
  const reset = <T,>(setter: (value: T) => void) => (value: T) => {
    setter(value);
    setPage(1);
  };
  return (
    <Stack>
      <Title order={2}>{t("products.title")}</Title>
      <Group align="end">
        <TextInput label={t("products.search")} value={search} onChange={(event) => reset(setSearch)(event.currentTarget.value)} w={280} />
        <TextInput label={t("products.categorySlug")} value={category} onChange={(event) => reset(setCategory)(event.currentTarget.value)} />
        <TextInput label={t("products.brandSlug")} value={brand} onChange={(event) => reset(setBrand)(event.currentTarget.value)} />
        <Select
          label={t("products.active")}
          clearable
          placeholder={t("common.all")}
          value={active}
          onChange={reset(setActive)}
          data={[
            { value: "yes", label: t("common.yes") },
            { value: "no", label: t("common.no") },
          ]}
        />
      </Group>
      <ErrorAlert error={products.error} />
      <DataTable
        data={products.data?.results ?? []}
        columns={columns}
        caption={t("products.title")}
        rowKey={(row) => String(row.id)}
        onRowClick={(row) => navigate(`/catalog/${row.id}`)}
      />
      {products.data && <Pager count={products.data.count} page={page} size={PAGE_SIZE} onChange={setPage} />}
    </Stack>
  );
}
