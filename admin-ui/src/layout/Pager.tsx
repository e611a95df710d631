import { Group, Pagination, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

/** Нумерация страниц для списков с count (StaffPagePagination). */
export function Pager({ count, page, size, onChange }: { count: number; page: number; size: number; onChange: (page: number) => void }) {
  const { t } = useTranslation();
  return (
    <Group>
      <Pagination total={Math.max(1, Math.ceil(count / size))} value={page} onChange={onChange} />
      <Text size="sm" c="dimmed">
        {t("common.found", { count })}
      </Text>
    </Group>
  );
}
