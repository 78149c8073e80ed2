// jest runs the TypeScript sources through swc as ES modules (see STACK.md):
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
};
