// Keyboard-wedge hand scanners: the scanner "types" the code, far faster than a person, and ends it
// with Enter. Such a burst is taken as a scan anywhere on the page, wherever the focus is; if it went
// into a text field, the field gets its old value back.

const MAX_GAP_MS = 50; // between two keys of one burst; people type 150 ms and more apart
const MIN_LENGTH = 3;

export function listenForWedge(onCode) {
  let buffer = "";
  let last = 0;
  let field = null;
  let before = "";

  addEventListener(
    "keydown",
    (event) => {
      const now = performance.now();
      if (event.key === "Enter") {
        const burst = buffer.length >= MIN_LENGTH && now - last < MAX_GAP_MS * 4;
        const text = buffer;
        buffer = "";
        if (!burst) return;
        event.preventDefault(); // no form submit, no click on a focused button
        if (field) field.value = before;
        onCode(text);
        return;
      }
      if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return;
      if (now - last > MAX_GAP_MS || buffer === "") {
        buffer = "";
        const target = event.target;
        field = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement ? target : null;
        before = field ? field.value : "";
      }
      buffer += event.key;
      last = now;
    },
    true,
  );
}
