import { ChatHistoryQuery, ChatMessageOut, PostChatBody, ToolLogOut, ToolLogQuery } from "../../../../shared/src/api.ts";
import type { Services } from "../../services/index.ts";
import { defineRoute, type AnyRoute } from "../route.ts";

export function chatAndToolRoutes(services: Services): AnyRoute[] {
  return [
    defineRoute({
      method: "get",
      path: "/chat",
      tag: "chat",
      summary: "Chat history, newest last; page back with `before` (a message id)",
      query: ChatHistoryQuery,
      response: ChatMessageOut.array(),
      list: true,
      errors: [404],
      handler: ({ viewer, query }) => services.chat.history(viewer, query),
    }),
    defineRoute({
      method: "post",
      path: "/chat",
      tag: "chat",
      summary: "Send a chat message as if from the game; live clients receive it",
      body: PostChatBody,
      status: 201,
      response: ChatMessageOut,
      errors: [404],
      handler: ({ viewer, body }) => services.chat.post(viewer, body.room_id, body.message, body.to_user_id),
    }),
    defineRoute({
      method: "get",
      path: "/tools/logs",
      tag: "tools",
      summary: "Tool-use log, newest first",
      query: ToolLogQuery,
      response: ToolLogOut.array(),
      list: true,
      errors: [404],
      handler: ({ viewer, query }) => services.tools.logs(viewer, query),
    }),
  ];
}
