/**
 * fleet-engine-firebase-tokens-web/emulator: helpers for the local Firebase emulators ONLY.
 * Nothing here works against a deployed project, by design.
 */
export { emulatorAppCheckProvider, unsignedEmulatorAppCheckToken } from "./emulator-app-check.js";
