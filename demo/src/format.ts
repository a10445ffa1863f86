/** "59:58" or "1:02:03": a countdown a person can read at a glance. */
export function formatCountdown(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mm = h > 0 ? String(m).padStart(2, "0") : String(m);
  return `${h > 0 ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}`;
}

/** Local wall-clock time, to the second. */
export function formatTime(millis: number): string {
  return new Date(millis).toLocaleTimeString([], { hour12: false });
}

/** JSON for people: two-space indent, with iat/exp annotated as local times. */
export function formatClaims(claims: Record<string, unknown>): string {
  return JSON.stringify(claims, null, 2).replace(
    /^( {2}"(?:iat|exp)": )(\d+)(,?)$/gm,
    (_line, key: string, value: string, comma: string) =>
      `${key}${value}${comma}  // ${formatTime(Number(value) * 1000)}`,
  );
}
