import { Alert, Button, Center, Paper, PasswordInput, Stack, TextInput, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { api, ApiError, csrfReset, unwrap } from "../api/client";
import { ME_KEY } from "./me";

/** Вход сотрудника: та же сессия, что в /admin/ (Wagtail). */
export function LoginPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const login = useMutation({
    mutationFn: () => unwrap(api.POST("/api/admin/v1/auth/login/", { body: { username, password } })),
    onSuccess: (me) => {
      csrfReset(); // Django выдаёт новый токен CSRF после входа
      client.setQueryData(ME_KEY, me);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate();
  };
  const error = login.error instanceof ApiError ? login.error.message : login.error ? t("errors.network") : null;
  return (
    <Center mih="100vh" bg="gray.0">
      <Paper component="form" onSubmit={submit} withBorder p="xl" w={380} aria-labelledby="login-title">
        <Stack>
          <Title order={2} id="login-title">
            {t("login.title")}
          </Title>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <TextInput
            label={t("login.username")}
            name="username"
            autoComplete="username"
            required
            value={username}
            onChange={(event) => setUsername(event.currentTarget.value)}
          />
          <PasswordInput
            label={t("login.password")}
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
          <Button type="submit" loading={login.isPending}>
            {t("login.submit")}
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
