import { Alert } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { can, useMe } from "../auth/me";

/** Показать экран, только если у сотрудника есть права; иначе — понятное сообщение. */
export function RequirePerms({ perms, children }: { perms: readonly string[]; children: ReactNode }) {
  const { t } = useTranslation();
  const { data: me } = useMe();
  if (!can(me, ...perms)) return <Alert color="yellow">{t("errors.forbidden")}</Alert>;
  return <>{children}</>;
}
