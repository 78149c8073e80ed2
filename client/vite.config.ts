import path from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = path.dirname(fileURLToPath(import.meta.url));
const server = "http://127.0.0.1:8000";

export default defineConfig({
  root,
  plugins: [react()],
  build: { outDir: path.join(root, "dist"), emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  // `vite --config client/vite.config.ts` next to `npm run dev`: REST, matchmaking and the room
  // sockets (`/<processId>/<roomId>?sessionId=…`) go to the server on :8000.
  server: {
    proxy: {
      "/api": server,
      "/matchmake": server,
      "^/[^/?]+/[^/?]+\\?.*(sessionId|reconnectionToken)=": { target: server, ws: true },
    },
  },
});
