import path from "node:path";

/**
 * Where the reader typed the command: npm runs workspace scripts elsewhere (`npm run doctor` in a
 * clone runs in tools/) and keeps the original directory in INIT_CWD; `npx` runs where typed.
 */
export function userCwd(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

/** A path given on the command line, relative to where the reader typed the command. */
export function resolveUserPath(value: string): string {
  return path.resolve(userCwd(), value);
}

/** A path as the reader should read it: relative to where they are, when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(userCwd(), file);
  return relative === ""
    ? "."
    : relative.startsWith("..") || path.isAbsolute(relative)
      ? file
      : relative;
}
