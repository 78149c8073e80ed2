// Every failure leaves as {"detail", "code"} with the right status. Unexpected errors are logged
// with an id that the response repeats; their message never reaches the client.
import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { z } from "zod";
import type { Logger } from "../observability/logger.ts";
import { AppError, type ValidationIssue } from "../services/errors.ts";
import { isUnavailable, OutageLog, unavailable } from "../services/outage.ts";
import { requestLogger } from "./request.ts";

export function validationError(where: "body" | "query" | "path", error: z.ZodError): AppError {
  const issues: ValidationIssue[] = error.issues.map((issue) => ({
    loc: [where, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))],
    msg: issue.message,
    type: issue.code === "invalid_type" && /received undefined/.test(issue.message) ? "missing" : issue.code,
  }));
  return new AppError(422, "invalid_payload", issues);
}

export function sendError(res: Response, error: AppError): void {
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.status(error.status).json({ detail: error.detail, code: error.code });
}

/** Body-parser failures carry a `type`; map the ones a client can cause. */
function fromBodyParser(err: { type?: unknown; status?: unknown }): AppError | undefined {
  switch (err.type) {
    case "entity.parse.failed":
      return new AppError(400, "invalid_payload", "Request body is not valid JSON");
    case "entity.too.large":
      return new AppError(413, "payload_too_large", "Request body is too large");
    case "encoding.unsupported":
    case "charset.unsupported":
      return new AppError(400, "invalid_payload", "Unsupported body encoding");
    case "request.aborted":
      return new AppError(400, "invalid_payload", "Request was aborted");
  }
  return undefined;
}

/** `database` names the database in outage log lines (the embedded one's folder, say). */
export function errorHandler(logger: Logger, database = "database") {
  const outages = new OutageLog((line, fields) => logger.warn(fields, line), database);
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (res.headersSent) return;
    if (err instanceof AppError) return sendError(res, err);
    if (isUnavailable(err)) {
      outages.report(`${req.method} ${req.path}`, err);
      return sendError(res, unavailable());
    }
    const known = typeof err === "object" && err !== null ? fromBodyParser(err as { type?: unknown }) : undefined;
    if (known) return sendError(res, known);
    const id = randomUUID();
    requestLogger(res, logger).error({ error_id: id, err }, `internal error ${id}`);
    sendError(res, new AppError(500, "internal", `Internal error (id ${id})`));
  };
}
