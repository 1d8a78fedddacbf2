// The order-import page while its job runs: polls the job (GET /api/v1/order-imports/<id>) every
// second, moves the progress bar (checking counts the first half, writing the second), and reloads the
// page when the job has finished, so the server renders the result or the list of bad cells.
import { apiFetch } from "./api.js";

const box = document.querySelector("[data-job-url]");
const POLL_MS = 1000;

function show(job) {
  const total = Number(job.total_rows || box.dataset.total) || 0;
  const bar = box.querySelector('[data-part="bar"]');
  if (total && bar && !bar.hasAttribute("max")) bar.max = 2 * total; // known once every row is checked
  const applying = job.status === "applying";
  box.querySelector('[data-part="rows"]').textContent = String(job.rows_done);
  const label = box.querySelector(`template[data-phase="${applying ? "applying" : "checking"}"]`);
  if (label) box.querySelector('[data-part="phase"]').textContent = label.content.textContent;
  if (total && bar) bar.value = Math.min(2 * total, job.rows_done + (applying ? total : 0));
}

async function poll() {
  try {
    const job = await apiFetch(box.dataset.jobUrl);
    if (job.finished) {
      location.reload();
      return;
    }
    show(job);
  } catch (error) {
    // offline or a restart: keep trying; the page says nothing new until an answer comes
  }
  setTimeout(poll, POLL_MS);
}

if (box) setTimeout(poll, POLL_MS);
