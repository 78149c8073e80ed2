// Whether the browser draws WebGL in software (SwiftShader, llvmpipe: no GPU, or a blocked one).
// There the scene draws with Pixi's Canvas 2D renderer instead: Chromium rasterises 2D canvases
// with Skia's CPU paths, while software WebGL shades every pixel through an emulated GPU. Measured
// on a 2-core box in headless Chromium (bench/README.md, client scenario): one full-screen floor
// rectangle cost about 70 ms a frame in SwiftShader WebGL and under 1 ms in Canvas 2D; a room with
// 300 objects and 50 walking people went from p50 217 / p95 317 ms to 16.7 / 33 ms a frame.
export function isSoftwareRenderer(): boolean {
  try {
    const gl = document.createElement("canvas").getContext("webgl");
    if (!gl) return false;
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(name);
  } catch {
    return false;
  }
}
