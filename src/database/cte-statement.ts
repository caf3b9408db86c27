const CTE_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * One SQL statement made of data-modifying CTEs (`WITH a AS (INSERT ...), b AS (UPDATE ...) SELECT ...`).
 * PostgreSQL runs a statement atomically and runs every data-modifying CTE even when the final SELECT
 * does not read it, so writes that do not need each other's results take one round trip instead of
 * BEGIN + one statement each + COMMIT. Each part numbers its parameters from $1; they are renumbered
 * here. Parts may refer to the parts added before them by name.
 */
export class CteStatement {
  private readonly parts: { name: string; sql: string }[] = [];
  private readonly values: unknown[] = [];

  add(name: string, sql: string, params: unknown[] = []): void {
    if (!CTE_NAME.test(name) || this.has(name)) throw new Error(`invalid or duplicate CTE name: ${name}`);
    const offset = this.values.length;
    this.parts.push({ name, sql: sql.replace(/\$(\d+)/g, (_match, n: string) => `$${Number(n) + offset}`) });
    this.values.push(...params);
  }

  has(name: string): boolean {
    return this.parts.some((part) => part.name === name);
  }

  /** The statement ending with `select` (which may read the parts by name), and its parameters. */
  build(select: string): { sql: string; params: unknown[] } {
    const ctes = this.parts.map((part) => `${part.name} AS (${part.sql})`).join(',\n');
    return { sql: ctes ? `WITH ${ctes}\n${select}` : select, params: [...this.values] };
  }
}

/** `EXISTS (SELECT 1 FROM <cte>)`, for parts that must only happen when an earlier part wrote a row. */
export function whenWritten(cte: string | undefined): string {
  if (cte === undefined) return 'true';
  if (!CTE_NAME.test(cte)) throw new Error(`invalid CTE name: ${cte}`);
  return `EXISTS (SELECT 1 FROM ${cte})`;
}

/**
 * `(VALUES ($1, $2::int), ($3, $4::int)) AS alias(a, b)` for `rows` of values (types from `casts`, one
 * per column, may be ''), with the parameters in order, numbered after the first `offset` ones. Plain parameters rather than arrays (`unnest`):
 * long strings such as webhook bodies then need no array escaping.
 */
export function valuesTable(alias: string, columns: string[], casts: string[], rows: unknown[][], offset = 0) {
  const params: unknown[] = [];
  const tuples = rows.map(
    (row) =>
      `(${row
        .map((value, i) => {
          params.push(value);
          return `$${offset + params.length}${casts[i] ? `::${casts[i]}` : ''}`;
        })
        .join(', ')})`,
  );
  return { sql: `(VALUES ${tuples.join(', ')}) AS ${alias}(${columns.join(', ')})`, params };
}
