/*
 * The JSON shape of a parsed environment file (environment.yml, an explicit
 * `@EXPLICIT` list or a lock file) as the server sends it, field for field.
 * Keep it in step with the server's spec module.
 */

/**
 * One package named in an environment file.
 */
export interface ISpecEntry {
  /** `pypi` for entries under `pip:`. */
  source: 'conda' | 'pypi';
  name: string;
  /** PEP 503 normalized name. */
  normalized_name: string;
  /** The pinned version, without operator; null when none is pinned. */
  version: string | null;
  /** The version is a prefix (`numpy=1.26` means 1.26.*). */
  fuzzy: boolean;
  /** The pinned conda build string (may hold `*`), null when none. */
  build: string | null;
  channel: string | null;
  /** The line as written in the file. */
  spec: string;
  /** A range that is not a pin (`>=1.20,<2`), null when none. */
  constraint: string | null;
}

/**
 * An environment file, parsed.
 */
export interface ISpecFile {
  kind: 'yml' | 'explicit' | 'lock';
  name: string | null;
  channels: string[];
  entries: ISpecEntry[];
  /**
   * The file lists every package of the environment (explicit lists, lock
   * files, full exports); false for a hand-written environment.yml that
   * names only the top-level packages.
   */
  complete: boolean;
  platform: string | null;
  variables: Record<string, string>;
  /** What the server could not understand in the file. */
  problems: string[];
  /** pip options found under `pip:` (`--index-url …`, `-e .`). */
  options: string[];
}
