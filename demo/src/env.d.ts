/** Where the emulators listen; vite.config.ts fills it in from scripts/lib/paths.mjs
 * (the region from the REGION param the Functions emulator reads). */
declare const __EMULATORS__: {
  readonly projectId: string;
  readonly region: string;
  /** ENABLED_TOKEN_TYPES: requests for other types are shown as refused. */
  readonly enabledTypes: readonly string[];
  readonly authPort: number;
  readonly functionsPort: number;
};
