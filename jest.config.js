// Jest runs TypeScript as native ESM through ts-jest in transpile-only mode (isolated modules, no
// type-checking here: `npm run lint` does that). ts-jest is pure JavaScript, so `npm ci` needs no
// platform-specific binary.
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        useESM: true,
        tsconfig: { module: 'ESNext', moduleResolution: 'Bundler', verbatimModuleSyntax: false, isolatedModules: true },
      },
    ],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
};
export default {
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'] },
    // The web app in Debian's Chromium, driven by playwright-core (test/browser/README.md).
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.spec.ts'] },
  ],
  testTimeout: 60000,
  // pg pools' idle timers can outlive a file by seconds; never let a finished run hang CI.
  forceExit: true,
};
