/**
 * exceljs brings some 350 modules (zip, streams, csv); only workbook exports and imports need
 * it, so it loads on first use instead of with every process (the web app, the worker, each test).
 */
export async function loadExcelJs(): Promise<typeof import('exceljs')> {
  const module = await import('exceljs');
  // CommonJS seen through ESM: the API sits on `default`.
  return (module as { default?: typeof import('exceljs') }).default ?? module;
}
