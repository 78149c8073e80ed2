// Accounts: registration, login, profiles, and turning a bearer token into a Viewer.
import { raw, UniqueConstraintViolationException } from "@mikro-orm/core";
import type { z } from "zod";
import type { UpdateProfileBody, UserOut } from "../../../shared/src/api.ts";
import { defaultAvatar, mergeAvatar } from "../../../shared/src/appearance.ts";
import { User } from "../db/entities.ts";
import type { Em, Orm } from "../db/orm.ts";
import type { Viewer } from "./access.ts";
import { AppError, banned, conflict, notFound, unauthorized } from "./errors.ts";
import { decoyHash, hashPassword, verifyPassword, type ScryptParams, OWASP_SCRYPT } from "./passwords.ts";
import { releaseExpiredUsername } from "./leaving.ts";
import { toUserOut } from "./serializers.ts";
import type { TokenService } from "./tokens.ts";

const AVATAR_COLORS = ["#e4572e", "#29335c", "#f3a712", "#a8c686", "#669bbc", "#8e5572", "#3a7d44", "#d17a22"];

/** A stable default colour per username, so a new avatar is recognisable before it is customised. */
function defaultColor(username: string): string {
  let h = 0;
  for (const ch of username.toLowerCase()) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return AVATAR_COLORS[h % AVATAR_COLORS.length]!;
}

export interface AuthResult {
  access_token: string;
  token_type: "bearer";
  user: UserOut;
}

export class AccountService {
  readonly #orm: Orm;
  readonly #tokens: TokenService;
  readonly #admins: ReadonlySet<string>;
  readonly #hashParams: ScryptParams;

  constructor(orm: Orm, tokens: TokenService, admins: ReadonlySet<string>, hashParams: ScryptParams = OWASP_SCRYPT) {
    this.#orm = orm;
    this.#tokens = tokens;
    this.#admins = admins;
    this.#hashParams = hashParams;
  }

  isAdmin(username: string): boolean {
    return this.#admins.has(username.toLowerCase());
  }

  async register(input: { username: string; email: string; password: string }): Promise<AuthResult> {
    const em = this.#orm.em.fork();
    const taken = await em.findOne(
      User,
      { $or: [lowerEquals("username", input.username), lowerEquals("email", input.email)] },
      { fields: ["id", "username", "email", "deletedAt"] },
    );
    if (taken && !(await this.#freedByDeletion(em, taken, input.email))) {
      throw this.#takenError(taken.username.toLowerCase() === input.username.toLowerCase() ? "username" : "email");
    }
    const user = em.create(User, {
      username: input.username,
      email: input.email,
      passwordHash: await hashPassword(input.password, this.#hashParams),
      displayName: input.username,
      avatarColor: defaultColor(input.username),
    });
    try {
      await em.flush();
    } catch (err) {
      // Two registrations raced past the check above: the unique index decides.
      if (err instanceof UniqueConstraintViolationException) {
        throw this.#takenError(String(err.message).includes("email") ? "email" : "username");
      }
      throw err;
    }
    return this.#authResult(user);
  }

  /** A deleted account holds its username for a while and its email not at all. */
  async #freedByDeletion(em: Em, holder: Pick<User, "id" | "email" | "deletedAt">, email: string): Promise<boolean> {
    if (!holder.deletedAt) return false;
    if (holder.email.toLowerCase() === email.toLowerCase()) return false;
    return releaseExpiredUsername(em, holder);
  }

  #takenError(field: "username" | "email"): AppError {
    return conflict(field === "username" ? "Username is already taken" : "Email is already registered");
  }

  /** Resolves to the auth result, or throws 401 with one message for unknown user and wrong password. */
  async login(username: string, password: string): Promise<AuthResult> {
    const em = this.#orm.em.fork();
    const user = await em.findOne(User, lowerEquals("username", username), { populate: ["passwordHash"] });
    const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
    if (!user || !ok || user.deletedAt) throw new AppError(401, "unauthorized", "Incorrect username or password");
    if (user.bannedAt) throw banned();
    return this.#authResult(user);
  }

  #authResult(user: User): AuthResult {
    return {
      access_token: this.#tokens.issue(user.id, user.username),
      token_type: "bearer",
      user: toUserOut(user),
    };
  }

  /** Verifies the token and that its account still exists and is not banned. */
  async authenticate(token: string): Promise<Viewer> {
    const claims = this.#tokens.verify(token);
    const user = await this.#orm.em.fork().findOne(User, { id: claims.userId }, { fields: ["id", "username", "bannedAt", "deletedAt"] });
    if (!user || user.deletedAt) throw unauthorized("Account no longer exists");
    if (user.bannedAt) throw banned();
    return { id: user.id, username: user.username, isAdmin: this.isAdmin(user.username) };
  }

  async getProfile(viewer: Viewer, userId: number): Promise<UserOut> {
    const user = await this.#orm.em.fork().findOne(User, { id: userId, deletedAt: null });
    if (!user) throw notFound("User");
    return toUserOut(user, viewer);
  }

  async updateProfile(viewer: Viewer, patch: z.output<typeof UpdateProfileBody>): Promise<UserOut> {
    const em = this.#orm.em.fork();
    const user = await em.findOneOrFail(User, { id: viewer.id });
    if (patch.display_name !== undefined) user.displayName = patch.display_name;
    if (patch.avatar_color !== undefined) user.avatarColor = patch.avatar_color.toLowerCase();
    if (patch.avatar) user.avatar = mergeAvatar(user.avatar ?? defaultAvatar(user.id), patch.avatar);
    await em.flush();
    return toUserOut(user, viewer);
  }
}

/** `lower(column) = lower(value)`, which the case-insensitive unique indexes serve. */
function lowerEquals(column: "username" | "email", value: string) {
  return { [raw(`lower(${column})`)]: value.toLowerCase() };
}

/** Makes a user-supplied string match itself literally in ILIKE. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
