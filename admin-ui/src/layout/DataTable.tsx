// Таблица на TanStack Table с разметкой Mantine: заголовки, строки, выбор строки с клавиатуры.
import { Table } from "@mantine/core";
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from "@tanstack/react-table";

type Props<T> = {
  data: T[];
  columns: ColumnDef<T, unknown>[];
  caption: string;
  selected?: number;
  onRowClick?: (row: T, index: number) => void;
  rowKey: (row: T) => string;
};

export function DataTable<T>({ data, columns, caption, selected, onRowClick, rowKey }: Props<T>) {
  const table = useReactTable({ data, columns, getCoreRowModel: getCoreRowModel(), getRowId: rowKey });
  return (
    <Table striped highlightOnHover withTableBorder aria-label={caption}>
      <Table.Thead>
        {table.getHeaderGroups().map((group) => (
          <Table.Tr key={group.id}>
            {group.headers.map((header) => (
              <Table.Th key={header.id} scope="col">
                {flexRender(header.column.columnDef.header, header.getContext())}
              </Table.Th>
            ))}
          </Table.Tr>
        ))}
      </Table.Thead>
      <Table.Tbody>
        {table.getRowModel().rows.map((row, index) => (
          <Table.Tr
            key={row.id}
            aria-selected={selected === index}
            bg={selected === index ? "indigo.0" : undefined}
            style={onRowClick ? { cursor: "pointer" } : undefined}
            onClick={onRowClick ? () => onRowClick(row.original, index) : undefined}
            data-testid="row"
          >
            {row.getVisibleCells().map((cell) => (
              <Table.Td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
