// Summarises a V8 .cpuprofile: self time by function and by package (node_modules/<pkg>, node
// internals, Cafe's own code), as percentages of the sampled time.
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "native (syscalls, buffers)";
  if (url.startsWith("node:")) return "node internals";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  const local = /\/(server|shared|bench)\/src\/|\/(bench)\//.exec(url);
  return local ? `cafe ${local[1] ?? local[2]}` : url.replace(/^file:\/\//, "");
}

/** Percentages are of the busy samples: idle time (waiting for I/O) is left out. */
export function summariseProfile(profile: { nodes: Node[] }) {
  const busy = profile.nodes.filter((n) => n.callFrame.functionName !== "(idle)");
  const all = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0) || 1;
  const total = busy.reduce((sum, n) => sum + (n.hitCount ?? 0), 0) || 1;
  const byFn = new Map<string, number>();
  const byPkg = new Map<string, number>();
  for (const n of busy) {
    const hits = n.hitCount ?? 0;
    if (!hits) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    const key = `${functionName || "(anonymous)"} ${url ? `${url.split("/").slice(-2).join("/")}:${lineNumber + 1}` : ""}`.trim();
    byFn.set(key, (byFn.get(key) ?? 0) + hits);
    const pkg = packageOf(url, functionName);
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + hits);
  }
  const rank = (m: Map<string, number>, label: string) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => ({ [label]: k, selfPct: Math.round((v / total) * 1000) / 10 }));
  return { busyPct: Math.round((total / all) * 1000) / 10, byPackage: rank(byPkg, "package"), byFunction: rank(byFn, "function") };
}
