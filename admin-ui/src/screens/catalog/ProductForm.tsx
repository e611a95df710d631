import { Button, Card, Checkbox, Group, Stack, Table, Textarea, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";

import { api, ApiError, unwrap, type Schemas } from "../../api/client";
import { can, PERMS, useMe } from "../../auth/me";
import { ErrorAlert, errorText } from "../../layout/ErrorAlert";
import { Loading } from "../../layout/Loading";

type Product = Schemas["ProductDetail"];
type Draft = Schemas["PatchedProductUpdateRequest"];

/** Форма товара: название, категория, бренд, описание, активность; варианты — списком со ссылкой на сетку цен. */
export default function ProductForm() {
  const { id = "" } = useParams();
  const product = useQuery({
    queryKey: ["product", id],
    queryFn: () => unwrap(api.GET("/api/admin/v1/products/{id}/", { params: { path: { id: Number(id) } } })),
  });
  if (product.isPending) return <Loading />;
  if (product.isError) return <ErrorAlert error={product.error} />;
  return <Form key={product.data.updated_at} product={product.data} />;
}

function Form({ product }: { product: Product }) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const client = useQueryClient();
  const editable = can(me, ...PERMS.productChange);
  const [draft, setDraft] = useState<Draft>({
    name: product.name,
    main_category: product.main_category,
    brand: product.brand ?? "",
    description: product.description,
    is_active: product.is_active,
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH("/api/admin/v1/products/{id}/", {
          params: { path: { id: product.id } },
          body: { ...draft, brand: draft.brand || null },
        }),
      ),
    onSuccess: (data) => {
      setErrors({});
      client.setQueryData(["product", String(product.id)], data);
      void client.invalidateQueries({ queryKey: ["products"] });
      notifications.show({ color: "green", message: t("common.saved") });
    },
    onError: (error) => {
      if (error instanceof ApiError) setErrors(error.fieldMessages());
      notifications.show({ color: "red", title: t("common.failed"), message: errorText(error, t("errors.network")) });
    },
  });
  const text = (name: "name" | "main_category" | "brand", label: string) => (
    <TextInput
      label={label}
      value={(draft[name] as string) ?? ""}
      error={errors[name]}
      disabled={!editable}
      onChange={(event) => setDraft({ ...draft, [name]: event.currentTarget.value })}
    />
  );
  return (
    <Stack>
      <Title order={2}>{product.name}</Title>
      <Card withBorder component="form" onSubmit={(event) => (event.preventDefault(), save.mutate())}>
        <Stack>
          {text("name", t("products.name"))}
          {text("main_category", t("products.categorySlug"))}
          {text("brand", t("products.brandSlug"))}
          <Textarea
            label={t("products.description")}
            value={draft.description ?? ""}
            error={errors.description}
            disabled={!editable}
            autosize
            minRows={3}
            onChange={(event) => setDraft({ ...draft, description: event.currentTarget.value })}
          />
          <Checkbox
            label={t("products.active")}
            checked={draft.is_active ?? false}
            disabled={!editable}
            onChange={(event) => setDraft({ ...draft, is_active: event.currentTarget.checked })}
          />
          {editable && (
            <Group>
              <Button type="submit" loading={save.isPending}>
                {t("common.save")}
              </Button>
            </Group>
          )}
        </Stack>
      </Card>
      <Card withBorder>
        <Group justify="space-between">
          <Title order={4}>{t("products.variants")}</Title>
          <Link to={`/catalog/prices?product=${product.id}`}>{t("products.openGrid")}</Link>
        </Group>
        <Table aria-label={t("products.variants")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("order.sku")}</Table.Th>
              <Table.Th>{t("products.variantName")}</Table.Th>
              <Table.Th>{t("products.barcode")}</Table.Th>
              <Table.Th>{t("products.active")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {product.variants.map((variant) => (
              <Table.Tr key={variant.id}>
                <Table.Td>{variant.sku}</Table.Td>
                <Table.Td>{variant.name}</Table.Td>
                <Table.Td>{variant.barcode || "—"}</Table.Td>
                <Table.Td>{variant.is_active ? t("common.yes") : t("common.no")}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
    </Stack>
  );
}
