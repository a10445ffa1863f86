/**
 * Writes params into a dotenv file the way a person would: only the given keys change, every
 * other line stays. Its own module, without firebase-tools, so that the package's command line
 * can write params in a user's project.
 */

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/;

/**
 * Sets `values` in dotenv `text`: a key already assigned gets its (first) line rewritten in place
 * and any later duplicate removed; missing keys are appended under `header`. Everything else
 * (comments, other keys, order) stays. Applying the same values twice gives the same text.
 */
export function setEnvValues(
  text: string,
  values: ReadonlyArray<readonly [key: string, value: string]>,
  header: string,
): string {
  const wanted = new Map(values);
  const written = new Set<string>();
  const lines = text === "" ? [] : text.replace(/\r\n/g, "\n").replace(/\n$/, "").split("\n");
  const out: string[] = [];
  for (const line of lines) {
    const key = ASSIGNMENT.exec(line)?.[1];
    if (key === undefined || !wanted.has(key)) {
      out.push(line);
    } else if (!written.has(key)) {
      out.push(`${key}=${wanted.get(key)}`);
      written.add(key);
    }
  }
  const missing = values.filter(([key]) => !written.has(key));
  if (missing.length > 0) {
    if (out.length > 0 && out[out.length - 1] !== "") out.push("");
    out.push(...header.split("\n").map((line) => `# ${line}`));
    out.push(...missing.map(([key, value]) => `${key}=${value}`));
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}
