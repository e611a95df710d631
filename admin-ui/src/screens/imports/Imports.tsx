import { Alert, Anchor, Badge, Button, Card, Checkbox, FileInput, Group, Progress, Select, Stack, Table, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { api, unwrap, type Schemas } from "../../api/client";
import { dateTime } from "../../format";
import { ErrorAlert, errorText } from "../../layout/ErrorAlert";

type Job = Schemas["ImportJob"];
type Mode = Schemas["ModeEnum"];
// Пока импорт в этих состояниях, карточка опрашивается раз в секунду (прогресс пишет задача Celery).
const RUNNING = new Set(["uploaded", "validating", "applying"]);
type PreviewRow = [number, string, string, string];
type ErrorRow = { row: number; sku: string; column: string; message: string };

/** Импорт: загрузка → живой прогресс → предпросмотр изменений → подтверждение → отклонённые строки; экспорт. */
export default function Imports() {
  const { t } = useTranslation();
  const [jobId, setJobId] = useState<number | null>(null);
  return (
    <Stack>
      <Title order={2}>{t("imports.title")}</Title>
      <Upload onStarted={setJobId} />
      {jobId !== null && <JobCard id={jobId} />}
      <JobList onOpen={setJobId} />
      <Exports />
    </Stack>
  );
}

function Upload({ onStarted }: { onStarted: (id: number) => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<Mode>("all_or_nothing");
  const [createMissing, setCreateMissing] = useState(false);
  const upload = useMutation({
    mutationFn: () => {
      const form = new FormData();
      form.append("file", file as File);
      form.append("mode", mode);
      form.append("create_missing", createMissing ? "true" : "false");
      return unwrap(
        api.POST("/api/admin/v1/imports/", {
          body: {} as never,
          bodySerializer: () => form,
        }),
      );
    },
    onSuccess: (job) => {
      onStarted(job.id);
      setFile(null);
      void client.invalidateQueries({ queryKey: ["imports"] });
    },
    onError: (error) => notifications.show({ color: "red", title: t("common.failed"), message: errorText(error, t("errors.network")) }),
  });
  return (
    <Card withBorder component="form" onSubmit={(event) => (event.preventDefault(), upload.mutate())}>
      <Group align="end">
        <FileInput label={t("imports.file")} accept=".csv,.xlsx" value={file} onChange={setFile} w={320} clearable name="file" />
        <Select
          label={t("imports.mode")}
          value={mode}
          allowDeselect={false}
          onChange={(value) => setMode((value ?? "all_or_nothing") as Mode)}
          data={[
            { value: "all_or_nothing", label: t("imports.allOrNothing") },
            { value: "skip_invalid", label: t("imports.skipInvalid") },
          ]}
        />
        <Checkbox label={t("imports.createMissing")} checked={createMissing} onChange={(event) => setCreateMissing(event.currentTarget.checked)} />
        <Button type="submit" disabled={!file} loading={upload.isPending}>
          {t("imports.upload")}
        </Button>
      </Group>
    </Card>
  );
}

function JobCard({ id }: { id: number }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const job = useQuery({
    queryKey: ["import", id],
    queryFn: () => unwrap(api.GET("/api/admin/v1/imports/{id}/", { params: { path: { id } } })),
    refetchInterval: (query) => (query.state.data && RUNNING.has(query.state.data.status ?? "") ? 1000 : false),
  });
  const confirm = useMutation({
    mutationFn: () => unwrap(api.POST("/api/admin/v1/imports/{id}/confirm/", { params: { path: { id } } })),
    onSuccess: (data) => {
      client.setQueryData(["import", id], data);
      void client.invalidateQueries({ queryKey: ["imports"] });
    },
    onError: (error) => notifications.show({ color: "red", title: t("common.failed"), message: errorText(error, t("errors.network")) }),
  });
  if (job.isError) return <ErrorAlert error={job.error} />;
  if (!job.data) return null;
  const data: Job = job.data;
  const running = RUNNING.has(data.status ?? "");
  const preview = (Array.isArray(data.preview) ? data.preview : []) as PreviewRow[];
  const errors = (Array.isArray(data.errors) ? data.errors : []) as ErrorRow[];
  return (
    <Card withBorder data-testid="import-job">
      <Stack>
        <Group justify="space-between">
          <Title order={4}>{t("imports.job", { id: data.id, name: data.original_name })}</Title>
          <Badge data-testid="import-status">{t(`imports.status.${data.status}`)}</Badge>
        </Group>
        <Progress
          value={running ? data.progress.percent : 100}
          animated={running}
          aria-label={t("imports.progress")}
          data-testid="import-progress"
        />
        <Text size="sm">
          {running
            ? t("imports.rows", { count: data.progress.rows })
            : t("imports.counts", {
                total: data.counts.total,
                created: data.counts.created,
                updated: data.counts.updated,
                unchanged: data.counts.unchanged,
                rejected: data.counts.rejected,
              })}
        </Text>
        {data.error_message && <Alert color="red">{data.error_message}</Alert>}
        {preview.length > 0 && (
          <Table aria-label={t("imports.preview")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("imports.row")}</Table.Th>
                <Table.Th>{t("imports.action")}</Table.Th>
                <Table.Th>{t("order.sku")}</Table.Th>
                <Table.Th>{t("imports.message")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {preview.slice(0, 50).map(([row, action, sku, message]) => (
                <Table.Tr key={row}>
                  <Table.Td>{row}</Table.Td>
                  <Table.Td>{action}</Table.Td>
                  <Table.Td>{sku}</Table.Td>
                  <Table.Td>{message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {errors.length > 0 && (
          <Table aria-label={t("imports.rejected")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("imports.row")}</Table.Th>
                <Table.Th>{t("order.sku")}</Table.Th>
                <Table.Th>{t("imports.column")}</Table.Th>
                <Table.Th>{t("imports.message")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {errors.slice(0, 50).map((error) => (
                <Table.Tr key={`${error.row}-${error.column}`}>
                  <Table.Td>{error.row}</Table.Td>
                  <Table.Td>{error.sku}</Table.Td>
                  <Table.Td>{error.column}</Table.Td>
                  <Table.Td>{error.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Group>
          {data.can_confirm && (
            <Button onClick={() => confirm.mutate()} loading={confirm.isPending}>
              {t("imports.confirm")}
            </Button>
          )}
          {data.rejected_file_url && data.counts.rejected > 0 && (
            <Anchor href={data.rejected_file_url}>{t("imports.downloadRejected")}</Anchor>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

function JobList({ onOpen }: { onOpen: (id: number) => void }) {
  const { t } = useTranslation();
  const jobs = useQuery({
    queryKey: ["imports"],
    queryFn: () => unwrap(api.GET("/api/admin/v1/imports/", { params: { query: { page_size: 20 } } })),
  });
  return (
    <Card withBorder>
      <Title order={4}>{t("imports.recent")}</Title>
      <ErrorAlert error={jobs.error} />
      <Table highlightOnHover aria-label={t("imports.recent")}>
        <Table.Tbody>
          {(jobs.data?.results ?? []).map((job) => (
            <Table.Tr key={job.id} style={{ cursor: "pointer" }} onClick={() => onOpen(job.id)}>
              <Table.Td>#{job.id}</Table.Td>
              <Table.Td>{job.original_name}</Table.Td>
              <Table.Td>{dateTime(job.created_at)}</Table.Td>
              <Table.Td>{t(`imports.status.${job.status}`)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function Exports() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const exports = useQuery({
    queryKey: ["exports"],
    queryFn: () => unwrap(api.GET("/api/admin/v1/exports/", { params: { query: { page_size: 10 } as never } })),
    refetchInterval: (query) => (query.state.data?.results.some((job) => job.status === "pending" || job.status === "running") ? 1000 : false),
  });
  const create = useMutation({
    mutationFn: () => unwrap(api.POST("/api/admin/v1/exports/", { body: { file_format: "xlsx" } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["exports"] }),
    onError: (error) => notifications.show({ color: "red", title: t("common.failed"), message: errorText(error, t("errors.network")) }),
  });
  return (
    <Card withBorder>
      <Group justify="space-between">
        <Title order={4}>{t("imports.exports")}</Title>
        <Button variant="default" onClick={() => create.mutate()} loading={create.isPending}>
          {t("imports.exportNow")}
        </Button>
      </Group>
      <Table aria-label={t("imports.exports")}>
        <Table.Tbody>
          {(exports.data?.results ?? []).map((job) => (
            <Table.Tr key={job.id}>
              <Table.Td>#{job.id}</Table.Td>
              <Table.Td>{dateTime(job.created_at)}</Table.Td>
              <Table.Td>{job.status === "done" ? <Anchor href={job.download_url}>{t("imports.download")}</Anchor> : t(`imports.exportStatus.${job.status}`)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
