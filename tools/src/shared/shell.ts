/** Quotes one argument for a POSIX shell, only when it needs it; `--flag=value` keeps its flag bare. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9@%+=:,./_-]+$/.test(arg)) return arg;
  const flag = /^(--[a-z][a-z0-9-]*=)(.*)$/s.exec(arg);
  if (flag !== null) return `${flag[1]}${singleQuote(flag[2] ?? "")}`;
  return singleQuote(arg);
}

function singleQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function formatCommand(program: string, args: readonly string[]): string {
  return [program, ...args].map(shellQuote).join(" ");
}
