// A refused join travels to the SDK as a Colyseus error: a number (the HTTP-like status) and a
// message. The contract's machine code rides at the start of the message, "<code>: <text>", so the
// JSON gateway (and any client) can report the room's own code rather than guess it from the status.
import { ERROR_CODES, type ErrorCode } from "./errors.ts";

export function joinRefusal(code: ErrorCode, message: string): string {
  return `${code}: ${message}`;
}

/** The machine code and text of a refusal made with joinRefusal, or undefined for any other message. */
export function parseJoinRefusal(message: string): { code: ErrorCode; message: string } | undefined {
  const match = /^([a-z_]+): ([\s\S]*)$/.exec(message);
  const code = match?.[1] as ErrorCode | undefined;
  return code && (ERROR_CODES as readonly string[]).includes(code) ? { code, message: match![2]! } : undefined;
}
