import "@mantine/charts/styles.css";

import { BarChart, LineChart } from "@mantine/charts";
import { Card, Grid, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { api, unwrap, type Schemas } from "../../api/client";
import { can, PERMS, useMe } from "../../auth/me";
import { money, todayIso } from "../../format";
import { ErrorAlert } from "../../layout/ErrorAlert";

function daysAgo(days: number) {
  const date = new Date(todayIso());
  date.setDate(date.getDate() - days);
  return date.toISOString().slice(0, 10);
}

/** Аналитика поиска (и заказов, если есть право): графики по дням и таблицы за период и регион. */
export default function SearchAnalytics() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const [from, setFrom] = useState(daysAgo(29));
  const [to, setTo] = useState(todayIso());
  const [region, setRegion] = useState<string | null>(null);
  const query = { date_from: from, date_to: to, region: region ?? undefined };
  const search = useQuery({
    queryKey: ["analytics-search", from, to, region],
    queryFn: () => unwrap(api.GET("/api/admin/v1/analytics/search/", { params: { query } })),
  });
  const orders = useQuery({
    queryKey: ["analytics-orders", from, to, region],
    enabled: can(me, ...PERMS.orderAnalytics),
    queryFn: () => unwrap(api.GET("/api/admin/v1/analytics/orders/", { params: { query } })),
  });
  const revenue = useMemo(() => revenueByDay(orders.data ?? []), [orders.data]);
  return (
    <Stack>
      <Title order={2}>{t("analytics.title")}</Title>
      <Group align="end">
        <TextInput type="date" label={t("analytics.from")} value={from} onChange={(event) => setFrom(event.currentTarget.value)} />
        <TextInput type="date" label={t("analytics.to")} value={to} onChange={(event) => setTo(event.currentTarget.value)} />
        <Select
          label={t("orders.region")}
          clearable
          placeholder={t("common.all")}
          value={region}
          onChange={setRegion}
          data={(me?.regions ?? []).map((item) => ({ value: item.code, label: item.name }))}
        />
      </Group>
      <ErrorAlert error={search.error ?? orders.error} />
      {search.data && (
        <>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Stat label={t("analytics.searches")} value={String(search.data.searches)} />
            <Stat label={t("analytics.zeroResults")} value={String(search.data.zero_results)} />
            <Stat label={t("analytics.zeroRate")} value={`${(search.data.zero_result_rate * 100).toFixed(1)} %`} />
          </SimpleGrid>
          <Card withBorder>
            <Title order={4}>{t("analytics.daily")}</Title>
            <LineChart
              h={240}
              data={search.data.daily}
              dataKey="date"
              series={[
                { name: "searches", label: t("analytics.searches"), color: "indigo.6" },
                { name: "zero_results", label: t("analytics.zeroResults"), color: "red.6" },
              ]}
            />
          </Card>
          <Grid>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Queries title={t("analytics.topQueries")} rows={search.data.top_queries} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Queries title={t("analytics.zeroQueries")} rows={search.data.zero_result_queries} />
            </Grid.Col>
          </Grid>
        </>
      )}
      {revenue.length > 0 && (
        <Card withBorder>
          <Title order={4}>{t("analytics.revenue")}</Title>
          <BarChart h={240} data={revenue} dataKey="date" series={[{ name: "revenue", label: t("analytics.revenue"), color: "teal.6" }]} />
        </Card>
      )}
      {orders.data && orders.data.length > 0 && (
        <Card withBorder>
          <Title order={4}>{t("analytics.ordersByDay")}</Title>
          <Table aria-label={t("analytics.ordersByDay")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("analytics.date")}</Table.Th>
                <Table.Th>{t("orders.region")}</Table.Th>
                <Table.Th>{t("analytics.orders")}</Table.Th>
                <Table.Th>{t("analytics.revenue")}</Table.Th>
                <Table.Th>{t("analytics.average")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {orders.data.map((row) => (
                <Table.Tr key={`${row.date}-${row.region}`}>
                  <Table.Td>{row.date}</Table.Td>
                  <Table.Td>{row.region}</Table.Td>
                  <Table.Td>{row.orders}</Table.Td>
                  <Table.Td>{money(row.revenue, row.currency)}</Table.Td>
                  <Table.Td>{money(row.average, row.currency)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
    </Stack>
  );
}

/** Выручка по дням для графика: сумма по регионам в копейках (целые), затем рубли — без ошибок float при сложении. */
export function revenueByDay(rows: Schemas["OrderStatsRow"][]) {
  const kopecks = new Map<string, bigint>();
  for (const row of rows) {
    const [whole, fraction = "00"] = row.revenue.split(".");
    kopecks.set(row.date, (kopecks.get(row.date) ?? 0n) + BigInt(whole + fraction.padEnd(2, "0").slice(0, 2)));
  }
  return [...kopecks.entries()].sort().map(([date, value]) => ({ date, revenue: Number(value) / 100 }));
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
    </Card>
  );
}

function Queries({ title, rows }: { title: string; rows: Schemas["QueryStats"][] }) {
  const { t } = useTranslation();
  return (
    <Card withBorder>
      <Title order={4}>{title}</Title>
      <Table aria-label={title}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("analytics.query")}</Table.Th>
            <Table.Th>{t("analytics.searches")}</Table.Th>
            <Table.Th>{t("analytics.purchases")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.query}>
              <Table.Td>{row.query}</Table.Td>
              <Table.Td>{row.searches}</Table.Td>
              <Table.Td>{row.purchases}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
