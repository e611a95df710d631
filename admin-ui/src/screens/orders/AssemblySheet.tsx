import { Button, Container, Group, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";

import { dateTime } from "../../format";
import { ErrorAlert } from "../../layout/ErrorAlert";
import { Loading } from "../../layout/Loading";
import { useOrder } from "./useOrder";

/** Лист сборки заказа для печати: строки с артикулами и количеством, контакт и способ доставки. */
export default function AssemblySheet() {
  const { number = "" } = useParams();
  const { t } = useTranslation();
  const order = useOrder(number);
  if (order.isPending) return <Loading />;
  if (order.isError) return <ErrorAlert error={order.error} />;
  const data = order.data;
  return (
    <Container size="md" py="md">
      <Group justify="space-between" className="no-print">
        <Button onClick={() => window.print()}>{t("sheet.print")}</Button>
      </Group>
      <Title order={2}>{t("sheet.title", { number: data.number })}</Title>
      <Text>
        {dateTime(data.created_at)} · {data.region} · {t(`order.deliveryMethod.${data.delivery_method}`)}
      </Text>
      <Text>
        {data.contact_name}, {data.contact_phone}
      </Text>
      <Text>{data.delivery_address || data.pickup_warehouse}</Text>
      <Table withTableBorder withColumnBorders mt="md" aria-label={t("sheet.title", { number: data.number })}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("sheet.done")}</Table.Th>
            <Table.Th>{t("order.sku")}</Table.Th>
            <Table.Th>{t("order.product")}</Table.Th>
            <Table.Th>{t("order.quantity")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.lines.map((line) => (
            <Table.Tr key={line.id}>
              <Table.Td>☐</Table.Td>
              <Table.Td>{line.sku}</Table.Td>
              <Table.Td>
                {line.product_name} {line.variant_name}
              </Table.Td>
              <Table.Td>{line.quantity}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {data.comment && <Text mt="md">{t("sheet.comment", { comment: data.comment })}</Text>}
      <style>{"@media print { .no-print { display: none } }"}</style>
    </Container>
  );
}
