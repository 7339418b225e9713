/*
 * Shell arguments for the commands the panel shows for the user to copy and
 * run (kernel registration, compatibility fixes); the panel never runs them.
 * Every value from the server is quoted: a prefix or name with spaces,
 * `$(...)`, backticks or quotes must stay one argument and never run
 * anything when pasted.
 */

/**
 * Whether a prefix is a Windows path (`C:\...`), where the interpreter is
 * `<prefix>\python.exe` rather than `<prefix>/bin/python`.
 */
export function isWindowsPrefix(prefix: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(prefix) || prefix.startsWith('\\\\');
}

/**
 * One shell argument: POSIX single quotes (nothing inside is special; a `'`
 * becomes `'\''`), or cmd's double quotes for Windows paths.
 */
export function shellQuote(value: string, windows = false): string {
  if (windows) {
    return `"${value.replace(/"/g, '""')}"`;
  }
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/**
 * The path of an environment's Python interpreter.
 */
export function pythonPath(prefix: string): string {
  return isWindowsPrefix(prefix)
    ? `${prefix.replace(/[\\/]+$/, '')}\\python.exe`
    : `${prefix.replace(/\/+$/, '')}/bin/python`;
}
