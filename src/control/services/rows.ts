// For statements that return exactly one row (an insert or an update by primary key after the
// row was found): anything else is a bug, so it throws.
export function only<T>(rows: T[]): T {
  const [row] = rows;
  if (row === undefined || rows.length > 1) throw new Error(`expected one row, got ${rows.length}`);
  return row;
}
