import { Alert } from "@mantine/core";
import { useTranslation } from "react-i18next";

import { ApiError } from "../api/client";

/** Ошибка запроса: сообщение сервера (на русском) или «нет связи». */
export function ErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const message = error instanceof ApiError && error.status ? error.message : t("errors.network");
  return (
    <Alert color="red" role="alert" my="sm">
      {message}
    </Alert>
  );
}

/** Текст ошибки для уведомления. */
export function errorText(error: unknown, fallback: string) {
  return error instanceof ApiError && error.status ? error.message : fallback;
}
