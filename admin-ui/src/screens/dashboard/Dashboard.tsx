import { Anchor, Badge, Card, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { api, unwrap } from "../../api/client";
import { can, PERMS, useMe } from "../../auth/me";
import { money, todayIso } from "../../format";
import { ErrorAlert } from "../../layout/ErrorAlert";
import { revenueTotal } from "./revenue";

// Сколько заказов «ждут действия» считаем одной страницей: больше — показываем «200+».
const WAITING_LIMIT = 200;

/** Главная: заказы и выручка за сегодня, ждущие действия заказы, мало на складе, поиск без результатов, сбои интеграций. */
export default function Dashboard() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const today = todayIso();
  const stats = useQuery({
    queryKey: ["dashboard-orders", today],
    enabled: can(me, ...PERMS.orderAnalytics),
    queryFn: () => unwrap(api.GET("/api/admin/v1/analytics/orders/", { params: { query: { date_from: today, date_to: today } } })),
  });
  const waiting = useQuery({
    queryKey: ["dashboard-waiting"],
    enabled: can(me, ...PERMS.orders),
    refetchInterval: 60_000,
    queryFn: () => unwrap(api.GET("/api/admin/v1/orders/", { params: { query: { status: ["new", "paid"], page_size: WAITING_LIMIT } } })),
  });
  const lowStock = useQuery({
    queryKey: ["dashboard-low-stock"],
    enabled: can(me, "catalog.view_variant", "inventory.view_stock"),
    queryFn: () => unwrap(api.GET("/api/admin/v1/stock/low/")),
  });
  const search = useQuery({
    queryKey: ["dashboard-search"],
    enabled: can(me, ...PERMS.searchAnalytics),
    queryFn: () => unwrap(api.GET("/api/admin/v1/analytics/search/")),
  });
  const connections = useQuery({
    queryKey: ["connections"],
    enabled: can(me, ...PERMS.integrations),
    queryFn: () => unwrap(api.GET("/api/admin/v1/integrations/connections/")),
  });
  const totals = revenueTotal(stats.data ?? []);
  const waitingCount = waiting.data ? (waiting.data.next ? `${WAITING_LIMIT}+` : String(waiting.data.results.length)) : "—";
  const problems = (connections.data ?? []).filter((row) => row.state !== "ok");
  return (
    <Stack>
      <Title order={2}>{t("dashboard.title", { name: me?.first_name || me?.username })}</Title>
      <ErrorAlert error={stats.error ?? waiting.error ?? lowStock.error ?? search.error ?? connections.error} />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {stats.data && (
          <Card withBorder>
            <Text c="dimmed" size="sm">
              {t("dashboard.today")}
            </Text>
            <Text size="xl" fw={700} data-testid="today-orders">
              {t("dashboard.orders", { count: totals.orders })}
            </Text>
            <Text>{money(totals.revenue)}</Text>
          </Card>
        )}
        {waiting.data && (
          <Card withBorder>
            <Text c="dimmed" size="sm">
              {t("dashboard.waiting")}
            </Text>
            <Anchor component={Link} to="/orders?filter=new" size="xl" fw={700}>
              {waitingCount}
            </Anchor>
          </Card>
        )}
        {connections.data && (
          <Card withBorder>
            <Text c="dimmed" size="sm">
              {t("dashboard.integrations")}
            </Text>
            {problems.length === 0 ? (
              <Badge color="green">{t("dashboard.allOk")}</Badge>
            ) : (
              problems.map((row) => (
                <Anchor key={row.id} component={Link} to="/integrations" display="block">
                  {row.code}: {row.state_label}
                </Anchor>
              ))
            )}
          </Card>
        )}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {lowStock.data && (
          <Card withBorder>
            <Title order={4}>{t("dashboard.lowStock", { count: lowStock.data.total, threshold: lowStock.data.threshold })}</Title>
            <Table aria-label={t("dashboard.lowStockTable")}>
              <Table.Tbody>
                {lowStock.data.rows.map((row) => (
                  <Table.Tr key={row.variant_id}>
                    <Table.Td>
                      <Link to={`/catalog/${row.product_id}`}>{row.sku}</Link>
                    </Table.Td>
                    <Table.Td>
                      {row.product_name} {row.variant_name}
                    </Table.Td>
                    <Table.Td>{row.available}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        )}
        {search.data && (
          <Card withBorder>
            <Title order={4}>{t("dashboard.zeroQueries")}</Title>
            {search.data.zero_result_queries.length === 0 && <Text c="dimmed">{t("dashboard.noZeroQueries")}</Text>}
            <Table aria-label={t("dashboard.zeroQueries")}>
              <Table.Tbody>
                {search.data.zero_result_queries.slice(0, 10).map((row) => (
                  <Table.Tr key={row.query}>
                    <Table.Td>{row.query}</Table.Td>
                    <Table.Td>{row.searches}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        )}
      </SimpleGrid>
    </Stack>
  );
}
