// Emote icons as small SVG, one source for the DOM (the emote bar) and the canvas (Pixi parses
// the same markup), so they look alike everywhere and need no emoji font.
import type { Emote } from "../../../shared/src/protocol.ts";

const Y = "#ffca28";
const O = "#5d4037";

export const EMOTE_SVG: Record<Emote, string> = {
  wave: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect x="7" y="9" width="11" height="12" rx="4" fill="${Y}" stroke="${O}" stroke-width="1.2"/><rect x="7" y="3" width="2.6" height="9" rx="1.3" fill="${Y}" stroke="${O}" stroke-width="1"/><rect x="10.2" y="2" width="2.6" height="9" rx="1.3" fill="${Y}" stroke="${O}" stroke-width="1"/><rect x="13.4" y="3" width="2.6" height="9" rx="1.3" fill="${Y}" stroke="${O}" stroke-width="1"/><rect x="3" y="11" width="6" height="2.6" rx="1.3" fill="${Y}" stroke="${O}" stroke-width="1"/><path d="M20 4 Q22 7 20 10" fill="none" stroke="#42a5f5" stroke-width="1.5"/></svg>`,
  clap: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect x="5" y="7" width="8" height="13" rx="3.5" fill="${Y}" stroke="${O}" stroke-width="1.2"/><rect x="10" y="8" width="8" height="13" rx="3.5" fill="#ffb300" stroke="${O}" stroke-width="1.2"/><path d="M12 1 L12 4 M6 3 L8 5 M18 3 L16 5" stroke="#42a5f5" stroke-width="1.5"/></svg>`,
  heart: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M12 21 L3.5 12.5 C0.5 9 3 4 7.5 4 C9.5 4 11 5.2 12 7 C13 5.2 14.5 4 16.5 4 C21 4 23.5 9 20.5 12.5 Z" fill="#e53935" stroke="#8e1b1b" stroke-width="1"/></svg>`,
  laugh: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="10" fill="${Y}" stroke="${O}" stroke-width="1.2"/><path d="M6.5 9.5 Q8 7.5 9.5 9.5 M14.5 9.5 Q16 7.5 17.5 9.5" fill="none" stroke="${O}" stroke-width="1.4"/><path d="M6.5 13 L17.5 13 Q17 19 12 19 Q7 19 6.5 13 Z" fill="#6d1b1b"/></svg>`,
  coffee: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M4 9 L17 9 L16 19 Q15.5 21 13.5 21 L7.5 21 Q5.5 21 5 19 Z" fill="#ffffff" stroke="${O}" stroke-width="1.2"/><rect x="5" y="10" width="11" height="3" fill="#795548"/><path d="M17 11 Q21 11 20 15 Q19 17 16.3 16.5" fill="none" stroke="${O}" stroke-width="1.4"/><path d="M8 7 Q7 5 8 3 M11.5 7 Q10.5 5 11.5 3" fill="none" stroke="#9e9e9e" stroke-width="1.3"/></svg>`,
  thumbs_up: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect x="3" y="10" width="4" height="11" rx="1" fill="#42a5f5" stroke="${O}" stroke-width="1"/><path d="M7 11 L11 4 Q13 3 13.5 5 L12.5 9 L19 9 Q21 9.5 20.5 12 L19 19 Q18.5 21 16.5 21 L7 21 Z" fill="${Y}" stroke="${O}" stroke-width="1.2"/></svg>`,
};
