import type { JobLogResponse } from './api';

/**
 * The part of a job's state that holds its log.
 */
export interface IJobLog {
  /** The newest log lines read (at most the model's `maxLogLines`). */
  log: string[];
  /** The absolute offset of the next log line to read. */
  offset: number;
  /** Whether earlier lines are missing from `log`. */
  truncated: boolean;
}

/**
 * `state` with the lines of an answer that it does not hold yet, keeping
 * the newest `maxLines`; `state` itself when the answer brings nothing new.
 * The offsets are absolute, so a late or repeated answer adds nothing twice.
 */
export function appendLog<T extends IJobLog>(
  state: T,
  response: JobLogResponse,
  maxLines: number
): T {
  const lines = Array.isArray(response.log) ? response.log : [];
  const end = response.offset;
  if (!Number.isFinite(end) || end <= state.offset) {
    return state;
  }
  const start = end - lines.length;
  const fresh =
    start < state.offset ? lines.slice(state.offset - start) : lines;
  // The server drops its oldest lines of long logs: some were never seen.
  let truncated = state.truncated || start > state.offset;
  let log = state.log.concat(fresh);
  if (log.length > maxLines) {
    log = log.slice(log.length - maxLines);
    truncated = true;
  }
  return { ...state, log, offset: end, truncated };
}
