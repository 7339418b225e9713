import type { SnapshotMode, SnapshotResponse } from '../api';
import { SNAPSHOT_MODES } from '../api';

/**
 * The notebook metadata key under which the extension records things.
 */
export const METADATA_KEY = 'conda_envs';

/**
 * What a notebook records of its snapshot, under `conda_envs.snapshot`.
 * `file` is relative to the notebook's folder, so moving the folder keeps
 * the pair together.
 */
export interface ISnapshotMetadata {
  environment: string;
  mode: SnapshotMode;
  file: string;
  python: string | null;
  digest: string;
  packages: number;
  created: string;
}

/**
 * The record to store for a snapshot the server wrote beside the notebook.
 */
export function snapshotMetadata(
  response: SnapshotResponse
): ISnapshotMetadata {
  const slash = response.file.lastIndexOf('/');
  return {
    environment: response.environment,
    mode: response.mode,
    file: response.file.slice(slash + 1),
    python: response.python,
    digest: response.digest,
    packages: response.packages,
    created: response.created
  };
}

/**
 * The new value of the `conda_envs` metadata: the snapshot set, any other
 * key kept.
 */
export function withSnapshot(
  current: unknown,
  snapshot: ISnapshotMetadata
): Record<string, unknown> {
  const base = isObject(current) ? { ...current } : {};
  return { ...base, snapshot: { ...snapshot } };
}

/**
 * The snapshot record of a notebook's `conda_envs` metadata, or null when
 * there is none or it is malformed (metadata is editable by hand: nothing
 * in it is trusted to have the right shape).
 */
export function readSnapshotRecord(value: unknown): ISnapshotMetadata | null {
  if (!isObject(value) || !isObject(value.snapshot)) {
    return null;
  }
  const s = value.snapshot;
  const mode = s.mode;
  if (
    typeof s.environment !== 'string' ||
    typeof s.file !== 'string' ||
    !isPlainFileName(s.file) ||
    typeof s.digest !== 'string' ||
    typeof mode !== 'string' ||
    !(SNAPSHOT_MODES as ReadonlyArray<string>).includes(mode)
  ) {
    return null;
  }
  return {
    environment: s.environment,
    mode: mode as SnapshotMode,
    file: s.file,
    python: typeof s.python === 'string' ? s.python : null,
    digest: s.digest,
    packages: typeof s.packages === 'number' ? s.packages : 0,
    created: typeof s.created === 'string' ? s.created : ''
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A file name without folders: a hand-edited `../../x` must not make the
 * panel read files elsewhere.
 */
function isPlainFileName(name: string): boolean {
  return (
    name.length > 0 &&
    !name.includes('/') &&
    !name.includes('\\') &&
    name !== '.' &&
    name !== '..'
  );
}
