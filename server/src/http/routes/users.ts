import { IdParams, UpdateProfileBody, UserOut } from "../../../../shared/src/api.ts";
import { DeleteAccountBody } from "../../../../shared/src/leaving.ts";
import type { Services } from "../../services/index.ts";
import { defineRoute, type AnyRoute } from "../route.ts";

export function userRoutes(services: Services): AnyRoute[] {
  return [
    defineRoute({
      method: "get",
      path: "/users/me",
      tag: "users",
      summary: "Your profile",
      response: UserOut,
      handler: ({ viewer }) => services.accounts.getProfile(viewer, viewer.id),
    }),
    defineRoute({
      method: "patch",
      path: "/users/me",
      tag: "users",
      summary: "Change your display name or avatar colour; every room you are in shows it at once",
      body: UpdateProfileBody,
      response: UserOut,
      handler: ({ viewer, body }) => services.profiles.update(viewer, body),
    }),
    defineRoute({
      method: "get",
      path: "/users/{id}",
      tag: "users",
      summary: "A user's profile (email only for yourself and admins)",
      params: IdParams,
      response: UserOut,
      errors: [404],
      handler: ({ viewer, params }) => services.accounts.getProfile(viewer, params.id),
    }),
    defineRoute({
      method: "delete",
      path: "/users/me",
      tag: "users",
      summary:
        "Delete your account (password required): tokens stop working, seats close (4007), items and owned rooms are deleted, chat stays as from a deleted user",
      body: DeleteAccountBody,
      status: 204,
      errors: [403],
      handler: ({ viewer, body }) => services.leaving.deleteSelf(viewer, body.password),
    }),
    defineRoute({
      method: "delete",
      path: "/users/{id}",
      tag: "users",
      summary: "Delete an account (admins): the same as the user deleting it, audited",
      params: IdParams,
      status: 204,
      errors: [403, 404],
      handler: ({ viewer, params }) => services.leaving.deleteByAdmin(viewer, params.id),
    }),
  ];
}
