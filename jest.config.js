// jest runs the TypeScript sources through swc as ES modules (jest 30's ESM support):
// `npm test` starts it with --experimental-vm-modules under the project's Node 24.
/** @type {import('jest').Config} */
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts", ".tsx"],
  transform: {
    "^.+\\.tsx?$": [
      "@swc/jest",
      {
        jsc: { parser: { syntax: "typescript", tsx: true }, target: "es2022", transform: { react: { runtime: "automatic" } } },
        module: { type: "es6" },
      },
    ],
  },
  testMatch: ["<rootDir>/{shared,server,client}/test/**/*.test.ts"],
  testTimeout: 60000,
  // Some suites leave handles open after their last test (seen after the second wave: the run
  // finished but the process stayed, busy). Until each is found, the run ends when the tests do.
  forceExit: true,
  // Probes PostgreSQL, Redis and Chromium once; suites needing a missing one are skipped and
  // announced by the reporter (or the run fails when CAFE_TEST_REQUIRE names it).
  globalSetup: "<rootDir>/server/test/gate/global-setup.ts",
  globalTeardown: "<rootDir>/server/test/gate/global-teardown.ts",
  reporters: ["default", "<rootDir>/server/test/gate/reporter.ts"],
};
