// What the worker hears and feels on a scan: a short high beep and a buzz for a read, a low double
// tone and a longer buzz for a refusal, so the result is known without looking at the screen.

let audio = null;
addEventListener("pointerdown", () => {
  audio ??= new AudioContext(); // browsers let a page make sound only after a touch
  audio.resume?.();
});

export function feedback(ok) {
  navigator.vibrate?.(ok ? 60 : [120, 80, 120]);
  if (!audio) return;
  const now = audio.currentTime;
  for (const [start, length] of ok ? [[0, 0.08]] : [[0, 0.15], [0.22, 0.15]]) {
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = ok ? 1800 : 320;
    gain.gain.value = 0.2;
    tone.connect(gain).connect(audio.destination);
    tone.start(now + start);
    tone.stop(now + start + length);
  }
}
