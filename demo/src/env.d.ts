/** Where the emulators listen; vite.config.ts fills it in from scripts/lib/paths.mjs
 * (the region from the REGION param the Functions emulator reads). */
declare const __EMULATORS__: {
  readonly projectId: string;
  readonly region: string;
  readonly authPort: number;
  readonly functionsPort: number;
};
