import type { ErrorCode } from "../../../shared/src/errors.ts";

export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** An expected failure with its HTTP status and contract code; the message is safe to show. */
export class AppError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly detail: string | ValidationIssue[];
  readonly headers: Record<string, string>;

  constructor(status: number, code: ErrorCode, detail: string | ValidationIssue[], headers: Record<string, string> = {}) {
    super(typeof detail === "string" ? detail : "validation failed");
    this.name = "AppError";
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.headers = headers;
  }
}

export const notFound = (what: string) => new AppError(404, "not_found", `${what} not found`);
export const forbidden = (detail: string) => new AppError(403, "forbidden", detail);
export const conflict = (detail: string) => new AppError(409, "conflict", detail);
export const unauthorized = (detail = "Not authenticated") =>
  new AppError(401, "unauthorized", detail, { "WWW-Authenticate": "Bearer" });
export const banned = () => new AppError(403, "banned", "This account is banned");
