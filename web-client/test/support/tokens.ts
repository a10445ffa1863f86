/** A JWT-shaped string for tests that never look inside it. */
export function fakeJwt(label: string): string {
  const encode = (value: unknown): string =>
    Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "RS256", typ: "JWT" })}.${encode({ label })}.c2ln`;
}

/** A well-formed callable answer for a consumer token. */
export function consumerResponse(tripId: string, expiresInSeconds = 3600, token = fakeJwt(tripId)) {
  return {
    token,
    type: "consumer",
    authorization: { tripid: tripId },
    expiresInSeconds,
    expiresAtMillis: Date.now() + expiresInSeconds * 1000,
  };
}
