import { Anchor, Badge, Button, Card, Grid, Group, Stack, Table, Text, Textarea, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";

import { api, ApiError, unwrap, type Schemas } from "../../api/client";
import { can, PERMS, useMe } from "../../auth/me";
import { dateTime, money } from "../../format";
import { ErrorAlert, errorText } from "../../layout/ErrorAlert";
import { Loading } from "../../layout/Loading";
import { orderKey, useOrder } from "./useOrder";

type Order = Schemas["OrderDetail"];

/** Карточка заказа: строки, платежи, история, заметки, кнопки статусов из allowed_transitions, контакт. */
export default function OrderCard() {
  const { number = "" } = useParams();
  const order = useOrder(number);
  if (order.isPending) return <Loading />;
  if (order.isError) return <ErrorAlert error={order.error} />;
  return <OrderView order={order.data} />;
}

function useOrderChanged(number: string) {
  const client = useQueryClient();
  return (order?: Order) => {
    if (order) client.setQueryData(orderKey(number), order);
    else void client.invalidateQueries({ queryKey: orderKey(number) });
    void client.invalidateQueries({ queryKey: ["orders"] });
  };
}

/** Сообщение об ошибке изменения; при 412 карточка перечитывается (её изменил кто-то другой). */
function useFailure(number: string) {
  const { t } = useTranslation();
  const changed = useOrderChanged(number);
  return (error: unknown) => {
    if (error instanceof ApiError && error.status === 412) changed();
    notifications.show({ color: "red", title: t("common.failed"), message: errorText(error, t("errors.network")) });
  };
}

function OrderView({ order }: { order: Order }) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t("order.title", { number: order.number })}</Title>
        <Group>
          <Badge size="lg" data-testid="order-status">
            {order.status_label}
          </Badge>
          <Anchor component={Link} to={`/orders/${order.number}/print`} target="_blank">
            {t("order.print")}
          </Anchor>
        </Group>
      </Group>
      {can(me, ...PERMS.orderStatus) && <Transitions order={order} />}
      <Grid>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Contact order={order} editable={can(me, ...PERMS.orderChange)} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card withBorder>
            <Title order={4}>{t("order.delivery")}</Title>
            <Text>{t(`order.deliveryMethod.${order.delivery_method}`)}</Text>
            <Text>{order.delivery_address || order.pickup_warehouse || "—"}</Text>
            {order.comment && <Text c="dimmed">{order.comment}</Text>}
            <Text mt="sm">
              {t("order.totals", {
                subtotal: money(order.subtotal, order.currency),
                delivery: money(order.delivery_cost, order.currency),
                total: money(order.total, order.currency),
              })}
            </Text>
          </Card>
        </Grid.Col>
      </Grid>
      <Lines order={order} />
      <Payments order={order} />
      <History order={order} />
      <Notes order={order} canAdd={can(me, ...PERMS.orderChange)} />
    </Stack>
  );
}

function Transitions({ order }: { order: Order }) {
  const { t } = useTranslation();
  const [comment, setComment] = useState("");
  const changed = useOrderChanged(order.number);
  const failed = useFailure(order.number);
  const transition = useMutation({
    mutationFn: (to_status: Schemas["OrderStatusEnum"]) =>
      unwrap(
        api.POST("/api/admin/v1/orders/{number}/transition/", {
          params: { path: { number: order.number }, header: { "If-Match": order.etag } },
          body: { to_status, comment },
        }),
      ),
    onSuccess: (data) => {
      changed(data);
      setComment("");
      notifications.show({ color: "green", message: t("order.statusChanged", { status: data.status_label }) });
    },
    onError: failed,
  });
  if (!order.allowed_transitions.length) return null;
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Textarea
          label={t("order.comment")}
          value={comment}
          onChange={(event) => setComment(event.currentTarget.value)}
          autosize
          minRows={1}
        />
        <Group>
          {order.allowed_transitions.map((item) => (
            <Button
              key={item.value}
              variant={item.value === "cancelled" ? "outline" : "filled"}
              color={item.value === "cancelled" ? "red" : undefined}
              loading={transition.isPending && transition.variables === item.value}
              onClick={() => transition.mutate(item.value)}
            >
              {t("order.to", { status: item.label })}
            </Button>
          ))}
        </Group>
      </Stack>
    </Card>
  );
}

function Contact({ order, editable }: { order: Order; editable: boolean }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<null | { contact_name: string; contact_phone: string; contact_email: string }>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const changed = useOrderChanged(order.number);
  const failed = useFailure(order.number);
  const save = useMutation({
    mutationFn: (body: NonNullable<typeof draft>) =>
      unwrap(
        api.PATCH("/api/admin/v1/orders/{number}/contact/", {
          params: { path: { number: order.number }, header: { "If-Match": order.etag } },
          body,
        }),
      ),
    onSuccess: (data) => {
      changed(data);
      setDraft(null);
      setErrors({});
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 400) setErrors(error.fieldMessages());
      failed(error);
    },
  });
  if (!draft) {
    return (
      <Card withBorder>
        <Title order={4}>{t("order.contact")}</Title>
        <Text>{order.contact_name}</Text>
        <Text>{order.contact_phone}</Text>
        <Text>{order.contact_email || "—"}</Text>
        {editable && (
          <Button
            mt="sm"
            size="xs"
            variant="default"
            onClick={() =>
              setDraft({ contact_name: order.contact_name, contact_phone: order.contact_phone, contact_email: order.contact_email })
            }
          >
            {t("common.edit")}
          </Button>
        )}
      </Card>
    );
  }
  const field = (name: keyof typeof draft, label: string) => (
    <TextInput
      label={label}
      value={draft[name]}
      error={errors[name]}
      onChange={(event) => setDraft({ ...draft, [name]: event.currentTarget.value })}
    />
  );
  return (
    <Card withBorder component="form" onSubmit={(event) => (event.preventDefault(), save.mutate(draft))}>
      <Title order={4}>{t("order.contact")}</Title>
      {field("contact_name", t("order.contactName"))}
      {field("contact_phone", t("order.contactPhone"))}
      {field("contact_email", t("order.contactEmail"))}
      <Group mt="sm">
        <Button type="submit" loading={save.isPending}>
          {t("common.save")}
        </Button>
        <Button variant="default" onClick={() => setDraft(null)}>
          {t("common.cancel")}
        </Button>
      </Group>
    </Card>
  );
}

function Lines({ order }: { order: Order }) {
  const { t } = useTranslation();
  return (
    <Card withBorder>
      <Title order={4}>{t("order.lines")}</Title>
      <Table aria-label={t("order.lines")}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("order.sku")}</Table.Th>
            <Table.Th>{t("order.product")}</Table.Th>
            <Table.Th>{t("order.price")}</Table.Th>
            <Table.Th>{t("order.quantity")}</Table.Th>
            <Table.Th>{t("order.sum")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {order.lines.map((line) => (
            <Table.Tr key={line.id}>
              <Table.Td>{line.sku}</Table.Td>
              <Table.Td>
                {line.product_name} {line.variant_name}
              </Table.Td>
              <Table.Td>{money(line.unit_price, order.currency)}</Table.Td>
              <Table.Td>{line.quantity}</Table.Td>
              <Table.Td>{money(line.line_total, order.currency)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function Payments({ order }: { order: Order }) {
  const { t } = useTranslation();
  return (
    <Card withBorder>
      <Title order={4}>{t("order.payments")}</Title>
      {order.payments.length === 0 && <Text c="dimmed">{t("order.noPayments")}</Text>}
      {order.payments.map((payment) => (
        <Text key={payment.id}>
          {payment.provider} · {t(`order.paymentStatus.${payment.status}`)} · {money(payment.amount, payment.currency)}
          {payment.refunded_amount !== "0.00" && ` · ${t("order.refunded", { amount: money(payment.refunded_amount, payment.currency) })}`}
        </Text>
      ))}
    </Card>
  );
}

function History({ order }: { order: Order }) {
  const { t } = useTranslation();
  return (
    <Card withBorder>
      <Title order={4}>{t("order.history")}</Title>
      {order.history.map((change, index) => (
        <Text key={index} size="sm">
          {dateTime(change.created_at)} · {change.from_status || "—"} → {change.to_status} · {change.changed_by ?? t("order.system")}
          {change.comment && ` · ${change.comment}`}
        </Text>
      ))}
    </Card>
  );
}

function Notes({ order, canAdd }: { order: Order; canAdd: boolean }) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const changed = useOrderChanged(order.number);
  const failed = useFailure(order.number);
  const add = useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/admin/v1/orders/{number}/notes/", { params: { path: { number: order.number } }, body: { text } })),
    onSuccess: () => {
      setText("");
      changed();
    },
    onError: failed,
  });
  return (
    <Card withBorder>
      <Title order={4}>{t("order.notes")}</Title>
      {order.notes.map((note) => (
        <Text key={note.id} size="sm">
          {dateTime(note.created_at)} · {note.author}: {note.text}
        </Text>
      ))}
      {canAdd && (
        <Group align="end" mt="sm">
          <Textarea label={t("order.newNote")} value={text} onChange={(event) => setText(event.currentTarget.value)} w={400} />
          <Button disabled={!text.trim()} loading={add.isPending} onClick={() => add.mutate()}>
            {t("common.add")}
          </Button>
        </Group>
      )}
    </Card>
  );
}
