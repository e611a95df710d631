import { AppShell, Burger, Button, Group, NavLink, SegmentedControl, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQueryClient } from "@tanstack/react-query";
import { Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useLocation } from "react-router";

import { api, csrfReset } from "../api/client";
import { can, ME_KEY, PERMS, type Me } from "../auth/me";
import { languageSet, type Language } from "../i18n";
import { Loading } from "./Loading";

type Item = { to: string; label: string; perms: readonly string[] };

/** Оболочка: меню только из разделов, которые позволяют права сотрудника. */
export function Shell({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const [opened, { toggle }] = useDisclosure();
  const location = useLocation();
  const client = useQueryClient();
  const items: Item[] = [
    { to: "/", label: t("nav.dashboard"), perms: [] },
    { to: "/orders", label: t("nav.orders"), perms: PERMS.orders },
    { to: "/catalog", label: t("nav.catalog"), perms: PERMS.products },
    { to: "/catalog/prices", label: t("nav.prices"), perms: PERMS.grid },
    { to: "/imports", label: t("nav.imports"), perms: PERMS.imports },
    { to: "/customers", label: t("nav.customers"), perms: PERMS.customers },
    { to: "/analytics", label: t("nav.analytics"), perms: PERMS.searchAnalytics },
    { to: "/integrations", label: t("nav.integrations"), perms: PERMS.integrations },
  ];
  const logout = async () => {
    await api.POST("/api/admin/v1/auth/logout/");
    csrfReset();
    client.setQueryData(ME_KEY, null);
  };
  const matches = (to: string) =>
    to === "/" ? location.pathname === "/" : location.pathname === to || location.pathname.startsWith(to + "/");
  // Подсвечивается самый точный раздел: /catalog/prices — «Цены и остатки», а не «Товары».
  const current = items.filter((item) => matches(item.to)).sort((a, b) => b.to.length - a.to.length)[0]?.to;
  const active = (to: string) => to === current;
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: "sm", collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t("nav.menu")} />
            <Title order={4}>{t("app.title")}</Title>
          </Group>
          <Group>
            <SegmentedControl
              size="xs"
              aria-label={t("nav.language")}
              value={i18n.language}
              onChange={(value) => languageSet(value as Language)}
              data={[
                { value: "ru", label: "RU" },
                { value: "en", label: "EN" },
              ]}
            />
            <Text size="sm">{me.username}</Text>
            <Button variant="subtle" size="xs" onClick={logout}>
              {t("nav.logout")}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t("nav.menu")}>
        {items
          .filter((item) => can(me, ...item.perms))
          .map((item) => (
            <NavLink key={item.to} component={Link} to={item.to} label={item.label} active={active(item.to)} />
          ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
