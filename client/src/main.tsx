import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { language } from "./i18n/index.ts";
import { App } from "./ui/App.tsx";
import { clearToastsOnPageChange } from "./ui/page-change.ts";
import "./ui/styles.css";

document.documentElement.lang = language.get();
clearToastsOnPageChange();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
