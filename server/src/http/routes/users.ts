import { IdParams, UpdateProfileBody, UserOut } from "../../../../shared/src/api.ts";
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
      summary: "Change your display name, avatar colour or avatar parts (live in the rooms you are in)",
      body: UpdateProfileBody,
      response: UserOut,
      handler: async ({ viewer, body }) => {
        const user = await services.accounts.updateProfile(viewer, body);
        await services.looks.announce(user);
        return user;
      },
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
  ];
}
