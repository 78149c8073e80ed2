// One full garbage collection once the server has started. Creating the embedded database on a
// first start runs initdb in a second, throw-away PGlite instance; its WebAssembly memory is only
// returned to the system when V8 collects it, and V8 sees no reason to (the memory is outside its
// heap). Collecting once, after start, gives those hundreds of megabytes back.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export function collectOnce(): void {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as (() => void) | undefined;
  gc?.();
}
