/** Time source, injected so that tests can pin `iat`, `exp` and cache freshness. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  nowMillis(): number;
}

export const systemClock: Clock = { nowMillis: () => Date.now() };
