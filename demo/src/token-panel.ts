import type { DemoTokenRequest } from "./demo-accounts.js";
import { el } from "./dom.js";
import { formatClaims, formatCountdown, formatTime } from "./format.js";
import type { PackageCall, SeenToken, WatchState } from "./token-watch.js";

export interface TokenPanel {
  update(state: WatchState): void;
}

/**
 * The token section for one request: the call the page makes, the countdowns, the decoded
 * token and every token seen so far. Countdowns change every second; the decoded parts only
 * when a new token arrives, so that a person can select and copy them.
 */
export function renderTokenPanel(
  container: HTMLElement,
  request: DemoTokenRequest,
  refreshWindowSeconds: number,
  onRetry: () => void,
): TokenPanel {
  const expiresIn = el("output", { "data-testid": "expires-in", class: "big" }, "…");
  const refreshIn = el("output", { "data-testid": "refresh-in", class: "big" }, "…");
  const tokenNumber = el("output", { "data-testid": "token-number", class: "big" }, "…");
  const callCount = el("output", { "data-testid": "call-count", class: "big" }, "…");
  const authorization = el("pre", { "data-testid": "authorization", class: "claim" });
  const header = el("pre", { "data-testid": "header" });
  const claims = el("pre", { "data-testid": "claims" });
  const history = el("tbody");
  const live = el(
    "div",
    { class: "live", hidden: "" },
    el(
      "div",
      { class: "countdowns" },
      el("div", {}, el("span", { class: "label" }, "Expires in"), expiresIn),
      el("div", {}, el("span", { class: "label" }, "Package refreshes in"), refreshIn),
      el("div", {}, el("span", { class: "label" }, "Token"), tokenNumber),
      el("div", {}, el("span", { class: "label" }, "Calls to the callable"), callCount),
    ),
    el("h3", {}, "authorization claim"),
    authorization,
    el(
      "div",
      { class: "decoded" },
      el("div", {}, el("h3", {}, "Header"), header),
      el("div", {}, el("h3", {}, "Claims"), claims),
    ),
    el("h3", {}, "Calls the package made to getFleetEngineToken"),
    el(
      "table",
      { "data-testid": "history" },
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          el("th", {}, "call"),
          el("th", {}, "at"),
          el("th", {}, "why"),
          el("th", {}, "brought"),
          el("th", {}, "issued (iat)"),
          el("th", {}, "expires (exp)"),
        ),
      ),
      history,
    ),
  );
  const refusal = el("div", { class: "refusal", "data-testid": "error", hidden: "" });
  const status = el("p", { class: "status", "data-testid": "status" }, "Asking…");

  container.replaceChildren(
    el(
      "p",
      { class: "call" },
      "The page calls, once a second, as a map would: ",
      el("code", {}, `authTokenFetcher(${JSON.stringify(request.fetch)})`),
    ),
    status,
    refusal,
    live,
  );

  let shownTokens = 0;
  let shownCalls = "";
  return {
    update(state) {
      if (state.error) {
        status.textContent = request.refused
          ? `Refused, as it should be: ${request.why ?? "the account may not have it."}`
          : "The token service refused or failed.";
        refusal.replaceChildren(
          el("strong", { "data-testid": "error-code" }, state.error.code),
          " ",
          el("span", { "data-testid": "error-message" }, state.error.message),
          " ",
          retryButton(onRetry),
        );
        refusal.hidden = false;
        live.hidden = state.tokens.length === 0;
        return;
      }
      refusal.hidden = true;
      live.hidden = false;
      const seconds = state.expiresInSeconds ?? 0;
      status.textContent =
        state.calls.length > 1
          ? `The package refreshed the token by itself (call #${state.calls.length}).`
          : "From the package's cache: it calls getFleetEngineToken again only to refresh.";
      expiresIn.textContent = formatCountdown(seconds);
      refreshIn.textContent = refreshCountdown(seconds, refreshWindowSeconds, state.calls.at(-1));
      tokenNumber.textContent = `#${state.tokens.length}`;
      callCount.textContent = String(state.calls.length);
      if (state.tokens.length !== shownTokens) {
        shownTokens = state.tokens.length;
        showToken(state.tokens[state.tokens.length - 1]);
      }
      const calls = state.calls.map((call) => `${call.number}:${call.tokenNumber}`).join();
      if (calls !== shownCalls) {
        shownCalls = calls;
        history.replaceChildren(
          ...[...state.calls].reverse().map((call) => callRow(call, state.tokens)),
        );
      }
    },
  };

  function showToken(token: SeenToken): void {
    authorization.textContent = JSON.stringify(token.authorization);
    header.textContent = JSON.stringify(token.decoded.header, null, 2);
    claims.textContent = formatClaims(token.decoded.claims);
  }
}

function callRow(call: PackageCall, tokens: readonly SeenToken[]): HTMLTableRowElement {
  const token = call.tokenNumber === undefined ? undefined : tokens[call.tokenNumber - 1];
  const brought =
    token === undefined
      ? "…"
      : call.newToken
        ? `token #${token.number}`
        : `token #${token.number} again (the service reused it)`;
  return el(
    "tr",
    {},
    el("td", {}, String(call.number)),
    el("td", {}, formatTime(call.atMillis)),
    el("td", {}, call.number === 1 ? "first request" : "refresh"),
    el("td", {}, brought),
    el("td", {}, timeOrDash(token?.decoded.issuedAtMillis)),
    el("td", {}, timeOrDash(token?.decoded.expiresAtMillis)),
  );
}

/**
 * When the package will call again: once the window is reached or, for a token that came with
 * less life than the window (e.g. one the service reused), at half of the life it came with.
 */
function refreshCountdown(
  secondsLeft: number,
  windowSeconds: number,
  lastCall: PackageCall | undefined,
): string {
  if (secondsLeft > windowSeconds) return formatCountdown(secondsLeft - windowSeconds);
  if (lastCall === undefined) return "soon";
  const halfLifeAt = lastCall.atMillis + (lastCall.expiresInSeconds * 1000) / 2;
  return `${formatCountdown((halfLifeAt - Date.now()) / 1000)} (half-life)`;
}

function timeOrDash(millis: number | undefined): string {
  return millis === undefined ? "–" : formatTime(millis);
}

function retryButton(onRetry: () => void): HTMLButtonElement {
  const button = el("button", { type: "button", class: "secondary" }, "Try again");
  button.addEventListener("click", onRetry);
  return button;
}
