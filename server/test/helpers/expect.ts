import { expect } from "@jest/globals";
import type { ApiResponse } from "./app.ts";

/** The contract's error shape: the status, JSON {detail, code}, and nothing internal. */
export function expectError(res: ApiResponse, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.headers.get("content-type")).toMatch(/application\/json/);
  expect(Object.keys(res.body).sort()).toEqual(["code", "detail"]);
  if (status === 422) expect(Array.isArray(res.body.detail)).toBe(true);
  else expect(typeof res.body.detail).toBe("string");
  expect(res.text).not.toMatch(/\bat .+\.(ts|js):\d+|Error:|node_modules/);
}
