/** Counters read by `serverStatus`, under the same names MongoDB uses. */
export interface StoreMetrics {
  queryExecutor: { scanned: number; scannedObjects: number };
  document: { inserted: number; updated: number; deleted: number; returned: number };
  cursor: { timedOut: number };
  opcounters: { insert: number; query: number; update: number; delete: number; getmore: number; command: number };
}

export function createMetrics(): StoreMetrics {
  return {
    queryExecutor: { scanned: 0, scannedObjects: 0 },
    document: { inserted: 0, updated: 0, deleted: 0, returned: 0 },
    cursor: { timedOut: 0 },
    opcounters: { insert: 0, query: 0, update: 0, delete: 0, getmore: 0, command: 0 },
  };
}
