import type { Credential, GoogleOAuthAccessToken } from "firebase-admin/app";
import type { AccessToken } from "./runtime-credentials.js";

/**
 * firebase-admin's credential, backed by the function's bounded access tokens. firebase-admin's
 * own Application Default Credential would not do: while a token refresh is pending it hands
 * every caller that same refresh (FirebaseAppInternals.isRefreshing), and on Cloud Run a
 * refresh the metadata server never answers stays pending for good, and with it every Auth
 * lookup of the instance. Ours fails at its timeout, and the next call asks again.
 */
export function adminCredential(tokens: { accessToken(): Promise<AccessToken> }): Credential {
  return {
    async getAccessToken(): Promise<GoogleOAuthAccessToken> {
      const { token, expiresAtMillis } = await tokens.accessToken();
      // Unknown expiry: 0 makes firebase-admin ask again next time (google-auth-library caches).
      const seconds =
        expiresAtMillis === undefined ? 0 : Math.floor((expiresAtMillis - Date.now()) / 1000);
      return { access_token: token, expires_in: Math.max(0, seconds) };
    },
  };
}
