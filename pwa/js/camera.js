// The scanner's camera: the rear lens chosen and remembered on this device, the torch where the
// camera has one, and a reader for the frames: the browser's own BarcodeDetector where it has one
// (Chrome on Android), else the vendored WebAssembly reader (barcode-detector over zxing-wasm), which
// is imported only then, so phones with a native reader never download it.

const LENS_KEY = "oh.scanner.lens"; // deviceId of the lens this phone last used
const WANTED_FORMATS = ["qr_code", "code_128", "data_matrix"];
const FRAME_MS = 120; // ~8 reads a second is quick for a person and light on the battery
const SAME_CODE_MS = 2000; // a label still in view is one read, not one per frame

function remembered() {
  try {
    return localStorage.getItem(LENS_KEY);
  } catch {
    return null;
  }
}

function remember(deviceId) {
  try {
    if (deviceId) localStorage.setItem(LENS_KEY, deviceId);
    else localStorage.removeItem(LENS_KEY);
  } catch {
    /* private mode: the phone picks its default rear lens each time */
  }
}

/** A BarcodeDetector: the browser's, or the vendored one with its .wasm served from this site. */
export async function makeDetector({ decoder, wasm }) {
  if ("BarcodeDetector" in globalThis) {
    const supported = await globalThis.BarcodeDetector.getSupportedFormats().catch(() => []);
    const formats = WANTED_FORMATS.filter((format) => supported.includes(format));
    if (formats.includes("qr_code")) return new globalThis.BarcodeDetector({ formats });
  }
  const reader = await import(decoder);
  await reader.prepareZXingModule({
    overrides: { locateFile: (path, prefix) => (path.endsWith(".wasm") ? wasm : prefix + path) },
    fireImmediately: true, // load now, so a missing or blocked .wasm shows as an error here
  });
  return new reader.BarcodeDetector({ formats: WANTED_FORMATS });
}

/** Back lenses by their label ("camera2 0, facing back", "Back Camera", "后置相机"), main lens first. */
function backLenses(devices) {
  const back = devices.filter((d) => /back|rear|environment|后/i.test(d.label));
  // Android numbers the main rear lens lowest ("camera2 0"); ultra-wide and macro lenses come later.
  return back.sort((a, b) => a.label.localeCompare(b.label, "en", { numeric: true }));
}

export class Camera {
  /** `onCode(text)` gets each code read; `onState()` runs when the camera starts or stops. */
  constructor(video, options, onCode, onState) {
    this.video = video;
    this.options = options;
    this.onCode = onCode;
    this.onState = onState;
    this.stream = null;
    this.detector = null;
    this.lenses = [];
    this.torchOn = false;
    this.last = { text: "", at: 0 };
    this.round = 0; // each stream gets its own reading loop; an old loop ends when its stream does
  }

  get running() {
    return this.stream !== null;
  }

  get hasTorch() {
    const track = this.track();
    return Boolean(track?.getCapabilities?.().torch);
  }

  track() {
    return this.stream ? this.stream.getVideoTracks()[0] : null;
  }

  async start(deviceId = remembered()) {
    if (!navigator.mediaDevices?.getUserMedia) throw new Error("unavailable");
    try {
      this.detector ??= await makeDetector(this.options);
    } catch (error) {
      throw Object.assign(error instanceof Error ? error : new Error(String(error)), { stage: "decoder" });
    }
    const size = { width: { ideal: 1280 }, height: { ideal: 720 } };
    const choice = deviceId ? { deviceId: { exact: deviceId } } : { facingMode: { ideal: "environment" } };
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ audio: false, video: { ...size, ...choice } });
    } catch (error) {
      if (!deviceId) throw error;
      remember(null); // that lens is gone (another phone, a reset): back to the default rear lens
      return this.start(null);
    }
    await this.useStream(deviceId);
  }

  async useStream(chosen) {
    this.video.srcObject = this.stream;
    await this.video.play();
    const devices = await navigator.mediaDevices.enumerateDevices(); // labels only after permission
    this.lenses = devices.filter((d) => d.kind === "videoinput");
    const current = this.track()?.getSettings?.().deviceId;
    const main = backLenses(this.lenses)[0];
    if (!chosen && main && current && main.deviceId !== current) {
      this.stopStream(); // the browser's default rear lens was not the main one: switch once
      return this.start(main.deviceId);
    }
    remember(current);
    this.onState?.();
    this.loop(++this.round);
  }

  /** The next lens of this phone; the choice is remembered for the next scan. */
  async nextLens() {
    if (this.lenses.length < 2) return;
    const current = this.track()?.getSettings?.().deviceId;
    const index = this.lenses.findIndex((d) => d.deviceId === current);
    const next = this.lenses[(index + 1) % this.lenses.length];
    this.stopStream();
    await this.start(next.deviceId);
  }

  async toggleTorch() {
    const track = this.track();
    if (!track) return false;
    this.torchOn = !this.torchOn;
    await track.applyConstraints({ advanced: [{ torch: this.torchOn }] });
    return this.torchOn;
  }

  loop(round) {
    if (!this.stream || round !== this.round) return;
    const next = () => setTimeout(() => this.loop(round), FRAME_MS);
    if (this.video.readyState < 2) return next();
    this.detector
      .detect(this.video)
      .then((codes) => {
        const now = Date.now();
        for (const code of codes) {
          const repeat = code.rawValue === this.last.text && now - this.last.at < SAME_CODE_MS;
          this.last = { text: code.rawValue, at: now };
          if (!repeat) this.onCode(code.rawValue);
          break; // one code per frame: the one nearest the middle is first in practice
        }
      })
      .catch(() => {}) // a frame the reader could not take (resize, lens switch): the next one will do
      .finally(next);
  }

  stopStream() {
    for (const track of this.stream?.getTracks() || []) track.stop();
    this.stream = null;
    this.torchOn = false;
    this.video.srcObject = null;
  }

  stop() {
    this.stopStream();
    this.onState?.();
  }
}
