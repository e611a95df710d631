import { Alert, Button, Card, Group, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { can, useMe } from "../../auth/me";
import { dateTime, money } from "../../format";
import { ErrorAlert, errorText } from "../../layout/ErrorAlert";
import { Loading } from "../../layout/Loading";

/** Карточка покупателя: заказы, согласия; персональные данные — по кнопке (раскрытие пишется в журнал). */
export default function CustomerCard() {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const { data: me } = useMe();
  const client = useQueryClient();
  const [reason, setReason] = useState("");
  const pk = Number(id);
  const customer = useQuery({
    queryKey: ["customer", pk],
    queryFn: () => unwrap(api.GET("/api/admin/v1/customers/{id}/", { params: { path: { id: pk } } })),
  });
  const pii = useMutation({
    mutationFn: () => unwrap(api.POST("/api/admin/v1/customers/{id}/pii/", { params: { path: { id: pk } } })),
  });
  const block = useMutation({
    mutationFn: (blocked: boolean) =>
      unwrap(api.POST("/api/admin/v1/customers/{id}/block/", { params: { path: { id: pk } }, body: { blocked, reason } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["customer", pk] }),
    onError: (error) => notifications.show({ color: "red", title: t("common.failed"), message: errorText(error, t("errors.network")) }),
  });
  if (customer.isPending) return <Loading />;
  if (customer.isError) return <ErrorAlert error={customer.error} />;
  const data = customer.data;
  return (
    <Stack>
      <Title order={2}>{data.name || t("customers.customer", { id: data.id })}</Title>
      <Card withBorder>
        <Text>
          {data.email} · {data.phone}
        </Text>
        <Text size="sm" c="dimmed">
          {t("customers.joinedAt", { date: dateTime(data.date_joined) })} · {t("customers.addresses", { count: data.addresses_count })}
        </Text>
        {!data.is_active && <Alert color="red" mt="sm">{t("customers.blocked")}</Alert>}
        <Group mt="sm">
          {can(me, "accounts.view_user", "accounts.view_customer_pii") && !pii.data && (
            <Button variant="default" onClick={() => pii.mutate()} loading={pii.isPending}>
              {t("customers.reveal")}
            </Button>
          )}
          {can(me, "accounts.view_user", "accounts.change_user") && (
            <>
              <TextInput aria-label={t("customers.reason")} placeholder={t("customers.reason")} value={reason} onChange={(event) => setReason(event.currentTarget.value)} />
              <Button color={data.is_active ? "red" : "green"} variant="outline" onClick={() => block.mutate(data.is_active)} loading={block.isPending}>
                {data.is_active ? t("customers.block") : t("customers.unblock")}
              </Button>
            </>
          )}
        </Group>
        <ErrorAlert error={pii.error} />
        {pii.data && (
          <Stack gap={2} mt="sm" data-testid="pii">
            <Text>
              {pii.data.first_name} {pii.data.last_name} · {pii.data.email} · {pii.data.phone ?? "—"}
            </Text>
            {pii.data.addresses.map((address) => (
              <Text key={address.id} size="sm">
                {[address.postal_code, address.city, address.street, address.house, address.apartment].filter(Boolean).join(", ")}
              </Text>
            ))}
          </Stack>
        )}
      </Card>
      <Card withBorder>
        <Title order={4}>{t("customers.orders")}</Title>
        <Table aria-label={t("customers.orders")}>
          <Table.Tbody>
            {data.orders.map((order) => (
              <Table.Tr key={order.number}>
                <Table.Td>
                  <Link to={`/orders/${order.number}`}>{order.number}</Link>
                </Table.Td>
                <Table.Td>{order.status}</Table.Td>
                <Table.Td>{money(order.total, order.currency)}</Table.Td>
                <Table.Td>{dateTime(order.created_at)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      <Card withBorder>
        <Title order={4}>{t("customers.consents")}</Title>
        {data.consents.map((consent, index) => (
          <Text key={index} size="sm">
            {dateTime(consent.created_at)} · {consent.kind} · {consent.granted ? t("customers.granted") : t("customers.withdrawn")}
          </Text>
        ))}
      </Card>
    </Stack>
  );
}
