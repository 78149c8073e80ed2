// The soak's control run: CAFE_TEST_UNGUARDED_PLACEMENT=1 in the environment of `npm run soak`
// (or of one test run) reaches every server the reliability suites start, which must then fail.
export function controlEnv(): Record<string, string> {
  const value = process.env["CAFE_TEST_UNGUARDED_PLACEMENT"];
  return value ? { CAFE_TEST_UNGUARDED_PLACEMENT: value } : {};
}
