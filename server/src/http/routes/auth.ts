import { AuthOut, LoginBody, RegisterBody } from "../../../../shared/src/api.ts";
import type { Services } from "../../services/index.ts";
import { AppError } from "../../services/errors.ts";
import { RateLimiter, type AuthLimits } from "../../limits/rate-limiter.ts";
import { defineRoute, type AnyRoute } from "../route.ts";

function throttled(retryAfter: number): AppError {
  return new AppError(429, "rate_limited", `Too many attempts; try again in ${retryAfter} s`, { "Retry-After": String(retryAfter) });
}

export function authRoutes(services: Services, limits: AuthLimits): AnyRoute[] {
  const perUsername = new RateLimiter(limits.loginPerUsername);
  const perAddress = new RateLimiter(limits.loginPerAddress);
  const registrations = new RateLimiter(limits.registerPerAddress);

  return [
    defineRoute({
      method: "post",
      path: "/auth/register",
      tag: "auth",
      summary: "Create an account; returns the user and an access token",
      auth: false,
      body: RegisterBody,
      status: 201,
      response: AuthOut,
      errors: [409, 413, 429],
      handler: async ({ body, req }) => {
        const address = req.ip ?? "unknown";
        const wait = registrations.retryAfter(address);
        if (wait) throw throttled(wait);
        registrations.hit(address);
        const result = await services.accounts.register(body);
        return { user: result.user, access_token: result.access_token, token_type: result.token_type };
      },
    }),
    defineRoute({
      method: "post",
      path: "/auth/login",
      tag: "auth",
      summary: "Log in with username and password (JSON or OAuth2 form)",
      auth: false,
      body: LoginBody,
      form: true,
      response: AuthOut,
      errors: [429],
      handler: async ({ body, req }) => {
        const address = req.ip ?? "unknown";
        const user = body.username.toLowerCase();
        const wait = Math.max(perUsername.retryAfter(user), perAddress.retryAfter(address));
        if (wait) throw throttled(wait);
        try {
          const result = await services.accounts.login(body.username, body.password);
          perUsername.reset(user);
          return result;
        } catch (err) {
          if (err instanceof AppError && err.status === 401) {
            perUsername.hit(user);
            perAddress.hit(address);
          }
          throw err;
        }
      },
    }),
  ];
}
