// Whether the browser draws WebGL in software (SwiftShader, llvmpipe: no GPU, or a blocked one).
// There every multisampled pixel is CPU time, so the scene gives up antialiasing to keep its frame
// rate; avatar frames keep theirs, drawn once into the atlas.
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
