import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral, QueryBuilder, QueryRunner } from 'typeorm';

/** A column's metadata (typeorm does not export the class from its index). */
type ColumnMetadata = EntityMetadata['columns'][number];

/** What a parameter is while its statement is compiled: found again by identity in TypeORM's list. */
class Marker {
  constructor(readonly name: string) {}
}

/**
 * A statement that TypeORM's QueryBuilder writes from the entity metadata once, and that each
 * execution only binds parameters to.
 *
 * Why this exists: with the write path on the entities, writing the statement was most of what
 * TypeORM cost per request — `getQuery`, `replacePropertyNamesForTheWholeQuery` (a regular
 * expression per alias over the whole text), the parameter escaping, the expression-map clones —
 * about a millisecond of CPU per amend in the profile (docs/BENCHMARKS.md), while the write path
 * has one shape per statement. TypeORM has result caching, not statement caching, so the text is
 * kept here. It is still TypeORM's text, from the entities (a changed entity changes it, and the
 * schema test holds the entities to the migrations); values are converted per column by the
 * driver's `preparePersistentValue`, as the QueryBuilder would have; rows come back as entities
 * through `hydrate`, by the column metadata.
 *
 * Build the QueryBuilder with `:name` placeholders for every value, in `where` and as raw values
 * of `set`/`values` (`{ startAt: () => ':startAt' }`).
 */
export class CompiledStatement<P extends string> {
  private constructor(
    readonly text: string,
    private readonly order: readonly P[],
    private readonly convert: ReadonlyMap<string, (value: unknown) => unknown>,
  ) {}

  /**
   * Writes the statement once. `columnOf`: the entity column a parameter holds a value of (it is
   * converted as that column's); parameters without one go as they are.
   */
  static compile<P extends string>(
    dataSource: DataSource,
    names: readonly P[],
    build: (dataSource: DataSource) => QueryBuilder<ObjectLiteral>,
    columnOf: (name: P) => ColumnMetadata | undefined = () => undefined,
  ): CompiledStatement<P> {
    const builder = build(dataSource);
    const markers = names.map((name) => new Marker(name));
    builder.setParameters(Object.fromEntries(markers.map((marker) => [marker.name, marker])));
    const [text, bound] = builder.getQueryAndParameters();
    const order = bound.map((value: unknown) => {
      if (!(value instanceof Marker)) throw new Error(`a compiled statement has a value that is not a parameter: ${text}`);
      return value.name as P;
    });
    const convert = new Map<string, (value: unknown) => unknown>();
    for (const name of names) {
      const column = columnOf(name);
      if (column) convert.set(name, (value) => (value === null || value === undefined ? value : dataSource.driver.preparePersistentValue(value, column)));
    }
    return new CompiledStatement(text, order, convert);
  }

  /** The parameters in the statement's order. */
  parameters(values: Readonly<Record<P, unknown>>): unknown[] {
    return this.order.map((name) => {
      const convert = this.convert.get(name);
      return convert ? convert(values[name]) : values[name];
    });
  }

  /** Runs it in the QueryRunner's transaction: the rows, and how many rows it changed. */
  async run(runner: QueryRunner, values: Readonly<Record<P, unknown>>): Promise<{ records: ObjectLiteral[]; affected: number }> {
    const result = await runner.query(this.text, this.parameters(values), true);
    return { records: result.records ?? [], affected: result.affected ?? 0 };
  }
}

/** The column of `target` that a property name (or `<property>_<n>`, one of several rows) names. */
export function columnsOf(dataSource: DataSource, target: EntityTarget<ObjectLiteral>): (name: string) => ColumnMetadata | undefined {
  const metadata = dataSource.getMetadata(target);
  return (name) => metadata.findColumnWithPropertyPath(name.replace(/_\d+$/, ''));
}

/** `{ startAt: () => ':startAt', … }`: the raw values of `set`/`values` that leave each value a parameter. */
export function placeholders(names: readonly string[], suffix = ''): Record<string, () => string> {
  return Object.fromEntries(names.map((name) => [name, () => `:${name}${suffix}`]));
}

/**
 * An entity from the row of a select: each column of `target` read from its alias (`<alias>_<column>`,
 * TypeORM's own naming) through the driver's `prepareHydratedValue`. Columns the row lacks stay unset.
 */
export function hydrate<T extends ObjectLiteral>(dataSource: DataSource, target: EntityTarget<T>, alias: string, row: ObjectLiteral): T {
  const metadata: EntityMetadata = dataSource.getMetadata(target);
  const entity = metadata.create() as T;
  for (const column of metadata.columns) {
    const key = `${alias}_${column.databaseName}`;
    if (key in row) column.setEntityValue(entity, dataSource.driver.prepareHydratedValue(row[key], column));
  }
  return entity;
}
