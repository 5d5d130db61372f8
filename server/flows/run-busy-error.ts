/** Another worker changed the run between our read and our write: the job is retried and reads again. */
export class RunBusyError extends Error {
  readonly code = 'FLOW_RUN_BUSY';

  constructor(runId: string) {
    super(`Flow run ${runId} was changed by another worker; retrying`);
    this.name = 'RunBusyError';
  }
}
