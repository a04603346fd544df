import type { UserConfig } from 'vitest/config';
/** The timbre Vitest preset (see index.js). */
export declare function timbreVitestConfig(overrides?: UserConfig): UserConfig;
