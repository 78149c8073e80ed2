// WASD and the arrow keys, as a direction. Keys typed into a text field never move the avatar.
import type { Point } from "../../../shared/src/sim/geometry.ts";

const DIRECTIONS: Record<string, Point> = {
  KeyW: { x: 0, y: -1 },
  ArrowUp: { x: 0, y: -1 },
  KeyS: { x: 0, y: 1 },
  ArrowDown: { x: 0, y: 1 },
  KeyA: { x: -1, y: 0 },
  ArrowLeft: { x: -1, y: 0 },
  KeyD: { x: 1, y: 0 },
  ArrowRight: { x: 1, y: 0 },
};

export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT";
}

export class Keyboard {
  readonly #held = new Set<string>();
  readonly #onKey: (e: KeyboardEvent) => void;
  readonly #dispose: () => void;

  /**
   * `onKey` also gets the other keys pressed outside text fields (Escape, R), and the direction
   * keys too while `capture()` is true (placing with the keyboard moves a grid cursor instead).
   */
  constructor(onKey: (e: KeyboardEvent) => void = () => undefined, capture: () => boolean = () => false) {
    this.#onKey = onKey;
    const down = (e: KeyboardEvent) => {
      if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.code in DIRECTIONS && capture()) {
        e.preventDefault();
        this.#onKey(e);
      } else if (e.code in DIRECTIONS) {
        this.#held.add(e.code);
        e.preventDefault(); // arrows would scroll the page
      } else {
        this.#onKey(e);
      }
    };
    const up = (e: KeyboardEvent) => this.#held.delete(e.code);
    const clear = () => this.#held.clear();
    const focus = (e: FocusEvent) => {
      if (isTyping(e.target)) clear();
    };
    window.addEventListener("keydown", down);
    window.addEventListener("keyup", up);
    window.addEventListener("blur", clear);
    document.addEventListener("focusin", focus);
    this.#dispose = () => {
      window.removeEventListener("keydown", down);
      window.removeEventListener("keyup", up);
      window.removeEventListener("blur", clear);
      document.removeEventListener("focusin", focus);
    };
  }

  /** The held direction; each axis -1, 0 or 1. */
  direction(): Point {
    let x = 0;
    let y = 0;
    for (const code of this.#held) {
      x += DIRECTIONS[code]!.x;
      y += DIRECTIONS[code]!.y;
    }
    return { x: Math.sign(x), y: Math.sign(y) };
  }

  dispose(): void {
    this.#dispose();
    this.#held.clear();
  }
}

/** The grid step of a direction key, for the placement cursor. */
export function directionOf(code: string): Point | null {
  return DIRECTIONS[code] ?? null;
}
