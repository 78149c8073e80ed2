// Its own module so every config module can throw it without importing index.ts (no cycles).

/** A configuration problem, reported as one line that names the variable. */
export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Configuration error: ${variable} ${problem}`);
    this.name = "ConfigError";
  }
}
