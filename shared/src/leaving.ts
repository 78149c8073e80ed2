// Leaving Cafe: account deletion's payload and the facts clients show, defined once.
import { z } from "zod";
import { USER } from "./constants.ts";

/** What a deleted account's chat messages show as their author (not a valid username). */
export const DELETED_USER_NAME = "[deleted]";
/** A deleted account's username stays reserved this long, so nobody can pose as them at once. */
export const USERNAME_RESERVED_DAYS = 30;

export const DeleteAccountBody = z.object({
  password: z.string().min(1).max(USER.passwordMax).describe("your current password, to confirm"),
});
