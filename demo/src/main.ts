import "./style.css";
import { onAuthStateChanged, signInWithEmailAndPassword, signOut } from "firebase/auth";
import {
  createAuthTokenFetcher,
  DEFAULT_REFRESH_WINDOW_SECONDS,
  type AuthTokenFetcher,
} from "fleet-engine-firebase-tokens-web";
import { accountByUid, demoAccounts, type DemoTokenRequest } from "./demo-accounts.js";
import { byId, el } from "./dom.js";
import { auth, functions, sdkVersion } from "./firebase.js";
import { renderTokenPanel } from "./token-panel.js";
import { TokenWatch } from "./token-watch.js";

/** Wiring: account picker, request buttons, refresh window, and one watched request at a time. */

const accountSelect = byId<HTMLSelectElement>("account");
const signInButton = byId<HTMLButtonElement>("sign-in");
const signOutButton = byId<HTMLButtonElement>("sign-out");
const signedInAs = byId("signed-in-as");
const accountError = byId("account-error");
const requestList = byId("requests");
const windowSelect = byId<HTMLSelectElement>("refresh-window");
const tokenSection = byId("token-section");
const tokenPanel = byId("token-panel");

let watch: TokenWatch | undefined;
let current: DemoTokenRequest | undefined;
/**
 * One fetcher per request and refresh window, so that coming back to a request hits its cache,
 * and the fetcher's onTokenFetched events belong to one request.
 */
const fetchers = new Map<string, AuthTokenFetcher>();
/** The accounts' requests, those of types the stack does not serve marked as refused. */
const DEMO_ACCOUNTS = demoAccounts(__EMULATORS__.enabledTypes);

byId("sdk-version").textContent = sdkVersion;

for (const account of DEMO_ACCOUNTS) {
  accountSelect.append(
    el("option", { value: account.email }, `${account.email} · ${account.role}`),
  );
}
windowSelect.value = String(DEFAULT_REFRESH_WINDOW_SECONDS);

function refreshWindowSeconds(): number {
  return Number(windowSelect.value);
}

function fetcherFor(request: DemoTokenRequest): AuthTokenFetcher {
  const key = `${request.id}|${refreshWindowSeconds()}`;
  let fetcher = fetchers.get(key);
  if (fetcher === undefined) {
    // Events of a fetcher the page no longer watches (another request or window) are dropped.
    const watched = (): boolean => key === `${current?.id}|${refreshWindowSeconds()}`;
    fetcher = createAuthTokenFetcher(functions, {
      type: request.type,
      refreshWindowSeconds: refreshWindowSeconds(),
      auth,
      // Shows the package's own calls, refreshes included, on the page (never the token).
      onTokenFetched: (event) => {
        if (watched()) watch?.recordCall(event);
      },
    });
    fetchers.set(key, fetcher);
  }
  return fetcher;
}

function stopWatching(): void {
  watch?.stop();
  watch = undefined;
}

function watchRequest(request: DemoTokenRequest): void {
  stopWatching();
  current = request;
  for (const button of requestList.querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.request === request.id));
  }
  tokenSection.hidden = false;
  const panel = renderTokenPanel(tokenPanel, request, refreshWindowSeconds(), () =>
    watchRequest(request),
  );
  watch = new TokenWatch(fetcherFor(request), request.fetch, (state) => panel.update(state));
  watch.start();
}

function showAccount(uid: string | undefined, email: string | null | undefined): void {
  stopWatching();
  current = undefined;
  fetchers.clear();
  tokenSection.hidden = true;
  tokenPanel.replaceChildren();
  const account = accountByUid(uid, DEMO_ACCOUNTS);
  signOutButton.hidden = uid === undefined;
  signInButton.hidden = uid !== undefined;
  accountSelect.disabled = uid !== undefined;
  signedInAs.textContent =
    uid === undefined ? "Nobody is signed in." : `Signed in as ${email ?? "?"} (uid ${uid}).`;
  requestList.replaceChildren(
    ...(account?.requests ?? []).map((request) => {
      const button = el(
        "button",
        {
          type: "button",
          "data-request": request.id,
          "aria-pressed": "false",
          class: request.refused ? "refusable" : "",
        },
        request.label,
      );
      button.addEventListener("click", () => watchRequest(request));
      return button;
    }),
  );
  if (uid !== undefined && account === undefined) {
    requestList.textContent = "This is not one of the demo accounts.";
  }
}

signInButton.addEventListener("click", () => {
  const account = DEMO_ACCOUNTS.find((candidate) => candidate.email === accountSelect.value);
  if (account === undefined) return;
  accountError.hidden = true;
  signInButton.disabled = true;
  signInWithEmailAndPassword(auth, account.email, account.password)
    .catch((error: unknown) => {
      accountError.textContent =
        `Could not sign in: ${error instanceof Error ? error.message : String(error)}. ` +
        "Is `npm start` running, with the demo accounts seeded?";
      accountError.hidden = false;
    })
    .finally(() => {
      signInButton.disabled = false;
    });
});

signOutButton.addEventListener("click", () => void signOut(auth));

windowSelect.addEventListener("change", () => {
  if (current !== undefined) watchRequest(current);
});

onAuthStateChanged(auth, (user) => showAccount(user?.uid, user?.email));
