import { pythonPath, shellQuote } from '../core/shellQuote';

/*
 * How fixes write commands: every command names the environment it is for
 * (`conda install -p '<prefix>' …`, `'<prefix>/bin/python' -m pip …`), so a
 * command copied into any shell changes that environment and no other.
 *
 * Every value taken from package records (names, versions, channels) passes
 * a strict charset check first; a fix that would need a value outside it is
 * left out rather than written with it. Arguments are quoted only where the
 * shell would otherwise read them (`"cuda-version<=11.8"`); the prefix is
 * always POSIX single-quoted (cmd double quotes for a Windows path).
 */

/**
 * What the caller knows about the environment being judged.
 */
export interface IAnalyzeContext {
  /** The environment's prefix; commands name it. */
  prefix?: string | null;
}

// PEP 440 and conda versions, and conda build-string globs (`cuda*`).
const VERSION = /^[A-Za-z0-9_.+!*][A-Za-z0-9_.+!*-]*$/;
// PEP 508 / conda package names (`typing_extensions`, `nvidia-cublas-cu12`).
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
// Channel names as `condaChannel` reduces them (`conda-forge`, `nvidia`, `my/label`).
const CHANNEL = /^[A-Za-z0-9][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_.-]+)*$/;

/**
 * A version (or build glob) safe to place in a command.
 */
export function isSafeVersion(version: string): boolean {
  return VERSION.test(version);
}

/**
 * A package name safe to place in a command.
 */
export function isSafeName(name: string): boolean {
  return NAME.test(name);
}

/**
 * A channel name safe to place in a command.
 */
export function isSafeChannel(channel: string): boolean {
  return CHANNEL.test(channel);
}

// What the shell reads as part of a plain word.
const BARE = /^[A-Za-z0-9_.+=:/,@%-]+$/;

/**
 * One argument as the shell should see it: bare when plain, else in double
 * quotes (`"torch>=2.4"`, `"pytorch=2.5.1=cuda*"`), else in single quotes
 * when it holds what double quotes leave special (`!`, `$`).
 */
export function shellArg(value: string): string {
  if (BARE.test(value)) {
    return value;
  }
  if (!/[!$`"\\]/.test(value)) {
    return `"${value}"`;
  }
  return shellQuote(value);
}

function isWindowsPrefix(prefix: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(prefix) || prefix.startsWith('\\\\');
}

/**
 * Writes commands for one environment. Without a prefix (or with one that
 * cannot appear in a fix's text: a backtick or a control character), the
 * commands are the plain ones for the activated environment.
 */
export class CommandTarget {
  constructor(prefix: string | null | undefined) {
    const usable =
      typeof prefix === 'string' &&
      prefix !== '' &&
      // eslint-disable-next-line no-control-regex
      !/[`\u0000-\u001f\u007f]/.test(prefix);
    this.prefix = usable ? prefix : null;
    this._windows = usable && isWindowsPrefix(prefix);
  }

  /**
   * The prefix the commands name; null when they are for the activated environment.
   */
  readonly prefix: string | null;

  /**
   * `conda <verb> -p '<prefix>' <args>`.
   */
  conda(verb: 'install' | 'remove', args: readonly string[]): string {
    const target =
      this.prefix === null
        ? []
        : ['-p', shellQuote(this.prefix, this._windows)];
    return ['conda', verb, ...target, ...args].join(' ');
  }

  /**
   * `'<prefix>/bin/python' -m pip <args>`, or `pip <args>`.
   */
  pip(args: readonly string[]): string {
    const pip = this.prefix === null ? ['pip'] : [this.python(), '-m', 'pip'];
    return [...pip, ...args].join(' ');
  }

  /**
   * The environment's interpreter, quoted; `python` without a prefix.
   */
  python(): string {
    return this.prefix === null
      ? 'python'
      : shellQuote(pythonPath(this.prefix), this._windows);
  }

  private _windows: boolean;
}
