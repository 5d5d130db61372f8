export type FlowEngineErrorCode = 'FLOW_VERSION_MISMATCH' | 'FLOW_BAD_RUN_ID' | 'FLOW_EMPTY';

/**
 * A call the engine cannot serve, always a bug in the caller (the wrong definition version for a
 * run, an id that cannot become a job id): permanent, not worth a retry.
 */
export class FlowEngineError extends Error {
  constructor(
    readonly code: FlowEngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FlowEngineError';
  }
}
