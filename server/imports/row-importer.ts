import { dealImportTarget } from './deal-import-target.js';
import type { FieldValues, ImportContext, RowOutcome } from './import-context.js';
import { importCompanyRow } from './import-company-row.js';
import { importContactRow } from './import-contact-row.js';
import { importDealRow } from './import-deal-row.js';
import type { ImportRequest } from './import-schemas.js';
import { mapColumns, type ColumnMap } from './map-columns.js';

function fieldValues<F extends string>(cells: string[], columns: ColumnMap<F>): FieldValues<F> {
  const values: FieldValues<F> = {};
  for (const { index, field } of columns) {
    const cell = cells[index];
    if (cell) (values[field] ??= []).push(cell);
  }
  return values;
}

/**
 * The function that imports one row of this request's file. Resolving the mapping (and, for
 * deals, the pipeline and stage) here, before any row runs, refuses a mapping that names no
 * column of the file or a pipeline that is not there (400) with nothing written.
 */
export async function rowImporter(
  context: ImportContext,
  request: ImportRequest,
  columns: string[],
): Promise<(cells: string[]) => Promise<RowOutcome>> {
  switch (request.entity) {
    case 'contacts': {
      const map = mapColumns(columns, request.mapping);
      return (cells) => importContactRow(context, fieldValues(cells, map));
    }
    case 'companies': {
      const map = mapColumns(columns, request.mapping);
      return (cells) => importCompanyRow(context, fieldValues(cells, map));
    }
    case 'deals': {
      const map = mapColumns(columns, request.mapping);
      const target = await dealImportTarget(context.services.db, request);
      return (cells) => importDealRow(context, target, fieldValues(cells, map));
    }
  }
}
