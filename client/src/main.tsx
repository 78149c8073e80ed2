import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

function App() {
  return (
    <main style={{ fontFamily: "system-ui", maxWidth: "40rem", margin: "4rem auto", lineHeight: 1.5 }}>
      <h1>Cafe</h1>
      <p>The game client is on its way. Meanwhile the whole REST API is available:</p>
      <p>
        <a href="/docs">API docs (Swagger UI)</a> · <a href="/redoc">ReDoc</a> · <a href="/openapi.json">openapi.json</a>
      </p>
    </main>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
