// JWT access tokens: HS256/384/512 with the algorithm pinned on verification, `exp` required.
import jwt from "jsonwebtoken";
import type { JwtAlgorithm } from "../config/index.ts";
import { AppError, unauthorized } from "./errors.ts";

export interface TokenClaims {
  userId: number;
  username: string;
}

export class TokenService {
  readonly #secret: string;
  readonly #algorithm: JwtAlgorithm;
  readonly #expireMinutes: number;

  constructor(secret: string, algorithm: JwtAlgorithm, expireMinutes: number) {
    this.#secret = secret;
    this.#algorithm = algorithm;
    this.#expireMinutes = expireMinutes;
  }

  issue(userId: number, username: string): string {
    return jwt.sign({ username }, this.#secret, {
      algorithm: this.#algorithm,
      subject: String(userId),
      expiresIn: this.#expireMinutes * 60,
    });
  }

  /** Throws a 401 AppError for anything but a well-formed, correctly signed, unexpired token. */
  verify(token: string): TokenClaims {
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.#secret, { algorithms: [this.#algorithm] });
    } catch (err) {
      throw unauthorized(err instanceof jwt.TokenExpiredError ? "Token has expired" : "Invalid token");
    }
    if (typeof payload === "string" || typeof payload.exp !== "number" || !/^[1-9][0-9]{0,9}$/.test(payload.sub ?? "")) {
      throw unauthorized("Invalid token");
    }
    return { userId: Number(payload.sub), username: String(payload["username"] ?? "") };
  }

  /** verify() without throwing: who the token names, or why it is refused (for callers outside the services). */
  check(token: string): { ok: true; user: { id: number; username: string } } | { ok: false; reason: string } {
    try {
      const claims = this.verify(token);
      return { ok: true, user: { id: claims.userId, username: claims.username } };
    } catch (err) {
      return { ok: false, reason: err instanceof AppError ? String(err.detail) : "Invalid token" };
    }
  }
}
