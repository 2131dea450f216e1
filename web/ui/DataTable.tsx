// A read-only table of objects: one column definition per field, the first column heading
// each row, horizontal scrolling on narrow screens.
import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

export interface Column<T> {
  header: string;
  cell: (item: T) => ReactNode;
  align?: 'left' | 'right';
}

export function DataTable<T extends { id: string }>({
  items,
  columns,
  caption,
  minWidth = 640,
}: {
  items: T[];
  columns: Column<T>[];
  caption?: string;
  minWidth?: number;
}) {
  const [first, ...rest] = columns;
  if (!first) return null;
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table highlightOnHover>
        {caption && <Table.Caption>{caption}</Table.Caption>}
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => (
              <Table.Th key={column.header} scope="col" ta={column.align}>
                {column.header}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={item.id}>
              <Table.Th scope="row" fw={500} ta={first.align}>
                {first.cell(item)}
              </Table.Th>
              {rest.map((column) => (
                <Table.Td key={column.header} ta={column.align}>
                  {column.cell(item)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
