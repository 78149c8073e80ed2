// A REST route is declared once: its schemas validate the request and generate its OpenAPI entry.
import type { Request, Response } from "express";
import type { z } from "zod";
import type { Viewer } from "../services/access.ts";
import type { Page } from "../services/rooms.ts";

export type Method = "get" | "post" | "put" | "patch" | "delete";
type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<B, Q, P, A extends boolean> {
  body: Out<B>;
  query: Out<Q>;
  params: Out<P>;
  viewer: A extends false ? undefined : Viewer;
  req: Request;
  res: Response;
}

export interface RouteSpec<B = undefined, Q = undefined, P = undefined, A extends boolean = true> {
  method: Method;
  /** OpenAPI style: `/rooms/{id}`. */
  path: string;
  summary: string;
  tag: string;
  /** Requires a bearer token (default true). */
  auth?: A;
  body?: B;
  /** Also accept the body as application/x-www-form-urlencoded (OAuth2 password form). */
  form?: boolean;
  /** A larger JSON body limit than the API's default, for this route only. */
  maxBodyBytes?: number;
  query?: Q;
  params?: P;
  /** Success status (default 200). 204 sends no body. */
  status?: number;
  /** Response schema, for the docs. A list route's handler returns a Page and sends its items. */
  response?: Schema;
  list?: boolean;
  /** Error statuses this route can answer with, for the docs (401/422 are added automatically). */
  errors?: number[];
  handler: (ctx: RouteContext<B, Q, P, A>) => Promise<unknown> | unknown;
}

// The erased shape that the router and the OpenAPI builder work with.
export interface AnyRoute {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  auth?: boolean;
  body?: Schema;
  form?: boolean;
  maxBodyBytes?: number;
  query?: Schema;
  params?: Schema;
  status?: number;
  response?: Schema;
  list?: boolean;
  errors?: number[];
  handler: (ctx: RouteContext<Schema, Schema, Schema, boolean>) => Promise<unknown> | unknown;
}

export function defineRoute<
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
  A extends boolean = true,
>(spec: RouteSpec<B, Q, P, A>): AnyRoute {
  return spec as unknown as AnyRoute;
}

export function isPage(value: unknown): value is Page<unknown> {
  return typeof value === "object" && value !== null && Array.isArray((value as Page<unknown>).items) && typeof (value as Page<unknown>).total === "number";
}
