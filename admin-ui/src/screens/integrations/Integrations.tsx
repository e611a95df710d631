import { Badge, Button, Card, Stack, Table, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";

import { api, unwrap } from "../../api/client";
import { can, PERMS, useMe } from "../../auth/me";
import { dateTime } from "../../format";
import { ErrorAlert, errorText } from "../../layout/ErrorAlert";

const STATE_COLOR = { ok: "green", errors: "orange", stuck: "red" } as const;

/** Интеграции: подключения с состоянием, последние синхронизации, застрявшие события с «Повторить». */
export default function Integrations() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const client = useQueryClient();
  const connections = useQuery({
    queryKey: ["connections"],
    queryFn: () => unwrap(api.GET("/api/admin/v1/integrations/connections/")),
  });
  const runs = useQuery({
    queryKey: ["sync-runs"],
    enabled: can(me, "integrations_core.view_syncrun"),
    queryFn: () => unwrap(api.GET("/api/admin/v1/integrations/runs/", { params: { query: { page_size: 20 } as never } })),
  });
  const stuck = useQuery({
    queryKey: ["stuck"],
    enabled: can(me, ...PERMS.stuck),
    queryFn: () => unwrap(api.GET("/api/admin/v1/integrations/stuck/", { params: { query: { page_size: 50 } as never } })),
  });
  const retry = useMutation({
    mutationFn: (body: { ids?: number[]; connection?: string }) => unwrap(api.POST("/api/admin/v1/integrations/stuck/retry/", { body })),
    onSuccess: (result) => {
      notifications.show({ color: "green", message: t("integrations.retried", { count: result.retried }) });
      void client.invalidateQueries({ queryKey: ["stuck"] });
      void client.invalidateQueries({ queryKey: ["connections"] });
    },
    onError: (error) => notifications.show({ color: "red", title: t("common.failed"), message: errorText(error, t("errors.network")) }),
  });
  const canRetry = can(me, ...PERMS.retry);
  return (
    <Stack>
      <Title order={2}>{t("integrations.title")}</Title>
      <ErrorAlert error={connections.error ?? runs.error ?? stuck.error} />
      <Card withBorder>
        <Title order={4}>{t("integrations.connections")}</Title>
        {connections.data?.length === 0 && <Text c="dimmed">{t("integrations.none")}</Text>}
        <Table aria-label={t("integrations.connections")}>
          <Table.Tbody>
            {(connections.data ?? []).map((row) => (
              <Table.Tr key={row.id}>
                <Table.Td>{row.code}</Table.Td>
                <Table.Td>{row.system}</Table.Td>
                <Table.Td>
                  <Badge color={STATE_COLOR[row.state]}>{row.state_label}</Badge>
                </Table.Td>
                <Table.Td>{row.last_run ? `${dateTime(row.last_run.started_at)} · ${row.last_run.state_label}` : t("integrations.noRuns")}</Table.Td>
                <Table.Td>
                  {row.stuck > 0 && canRetry && (
                    <Button size="xs" variant="light" onClick={() => retry.mutate({ connection: row.code })}>
                      {t("integrations.retryAll", { count: row.stuck })}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      {stuck.data && (
        <Card withBorder>
          <Title order={4}>{t("integrations.stuck")}</Title>
          {stuck.data.count === 0 && <Text c="dimmed">{t("integrations.noStuck")}</Text>}
          <Table aria-label={t("integrations.stuck")}>
            <Table.Tbody>
              {stuck.data.results.map((row) => (
                <Table.Tr key={row.id}>
                  <Table.Td>{row.connection}</Table.Td>
                  <Table.Td>
                    {row.kind} {row.object_type}:{row.object_id}
                  </Table.Td>
                  <Table.Td>{row.state_label}</Table.Td>
                  <Table.Td>{t("integrations.attempts", { count: row.attempts })}</Table.Td>
                  <Table.Td>
                    <Text size="xs" c="red">
                      {row.last_error}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {canRetry && (
                      <Button size="xs" onClick={() => retry.mutate({ ids: [row.id] })}>
                        {t("integrations.retry")}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      {runs.data && (
        <Card withBorder>
          <Title order={4}>{t("integrations.runs")}</Title>
          <Table aria-label={t("integrations.runs")}>
            <Table.Tbody>
              {runs.data.results.map((run) => (
                <Table.Tr key={run.id}>
                  <Table.Td>{run.connection}</Table.Td>
                  <Table.Td>{run.direction_label}</Table.Td>
                  <Table.Td>{dateTime(run.started_at)}</Table.Td>
                  <Table.Td>{run.state_label}</Table.Td>
                  <Table.Td>{t("integrations.runCounts", { created: run.created, updated: run.updated, failed: run.failed })}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
    </Stack>
  );
}
