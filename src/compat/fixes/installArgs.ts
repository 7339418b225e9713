import type { PackageRecord } from '../packageRecord';

import type { CommandTarget } from '../commands';
import { isSafeName, isSafeVersion, shellArg } from '../commands';

/*
 * What every fix builds its command from: the environment it is for, the
 * channel a record came from, and the pins, each left out (null) when a
 * record value is outside the safe charsets.
 */

/**
 * What a fix needs to know about the environment.
 */
export interface IFixContext {
  records: readonly PackageRecord[];
  /** The conda `python` version, or null. */
  python: string | null;
  /** Writes commands for this environment. */
  commands: CommandTarget;
  /** This machine's conda subdir, e.g. `linux-64`. */
  subdir: string;
}

/**
 * "2.1.0+cu118" → "2.1.0": pins name public versions, since the local part
 * is what changes between builds.
 */
export function publicVersion(version: string): string {
  return version.split('+')[0];
}

export function channelIs(record: PackageRecord, name: string): boolean {
  return (
    record.channel === name ||
    record.channel.replace(/\/+$/, '').endsWith(`/${name}`)
  );
}

/**
 * The channel to name in `conda install -c`: `defaults` for Anaconda's `pkgs/*`.
 */
export function condaChannel(record: PackageRecord): string {
  if (/(^|\/)pkgs\/\w+\/?$/.test(record.channel)) {
    return 'defaults';
  }
  const trimmed = record.channel.replace(/\/+$/, '');
  return trimmed.includes('://')
    ? (trimmed.split('/').pop() ?? trimmed)
    : trimmed;
}

/**
 * The values of `items`, or null when any is null: one unsafe value and the
 * whole command is left out.
 */
export function all(items: readonly (string | null)[]): string[] | null {
  const kept: string[] = [];
  for (const item of items) {
    if (item === null) {
      return null;
    }
    kept.push(item);
  }
  return kept;
}

/**
 * `name=version[=build]` for conda, when both are safe in a command.
 */
export function condaPin(record: PackageRecord, build?: string): string | null {
  const version = publicVersion(record.version);
  if (!isSafeName(record.name) || !isSafeVersion(version)) {
    return null;
  }
  return shellArg(
    build ? `${record.name}=${version}=${build}` : `${record.name}=${version}`
  );
}

/**
 * `from` uninstalled, then `to` installed: the two install the same module
 * (tensorflow and tensorflow-cpu, one cupy-cudaNNx and another), so the old
 * one goes first.
 */
export function pipSwap(
  from: string,
  to: string,
  context: IFixContext
): string | null {
  if (!isSafeName(from)) {
    return null;
  }
  return `${context.commands.pip(['uninstall', '-y', from])} && ${context.commands.pip(['install', shellArg(to)])}`;
}
