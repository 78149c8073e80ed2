// Who is speaking: the loudness of each audio stream, sampled a few times a second through one
// AudioContext. Remote WebRTC audio reaches Web Audio only while it also plays in an element
// (Peer.audio does that).
const SPEAKING_RMS = 0.02;
/** A voice counts as speaking this long after its last loud sample, so rings do not flicker between words. */
const HOLD_MS = 800;

export class SpeechLevels {
  #context: AudioContext | null = null;
  readonly #meters = new Map<number, { analyser: AnalyserNode; source: MediaStreamAudioSourceNode; stream: MediaStream; track: MediaStreamTrack }>();
  readonly #buffer = new Float32Array(512);
  readonly #lastLoud = new Map<number, number>();

  /** Measures `stream` under `id` (replacing an earlier one); null stops measuring it. */
  watch(id: number, stream: MediaStream | null): void {
    const track = stream?.getAudioTracks()[0] ?? null;
    const current = this.#meters.get(id);
    if (current && current.track === track) return;
    if (current) {
      current.source.disconnect();
      this.#meters.delete(id);
    }
    if (!stream || !track) return;
    const context = (this.#context ??= new AudioContext());
    void context.resume().catch(() => undefined);
    const source = context.createMediaStreamSource(stream);
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    this.#meters.set(id, { analyser, source, stream, track });
  }

  /** Ids whose stream was loud enough to count as speech within the last HOLD_MS. */
  speaking(now = performance.now()): number[] {
    const out: number[] = [];
    for (const [id, m] of this.#meters) {
      if (m.track.readyState !== "live" || !m.track.enabled) continue;
      m.analyser.getFloatTimeDomainData(this.#buffer);
      let sum = 0;
      for (const v of this.#buffer) sum += v * v;
      if (Math.sqrt(sum / this.#buffer.length) > SPEAKING_RMS) this.#lastLoud.set(id, now);
      if (now - (this.#lastLoud.get(id) ?? -Infinity) < HOLD_MS) out.push(id);
    }
    return out;
  }

  dispose(): void {
    for (const m of this.#meters.values()) m.source.disconnect();
    this.#meters.clear();
    void this.#context?.close().catch(() => undefined);
    this.#context = null;
  }
}
