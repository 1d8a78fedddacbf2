// The KPI page's charts (chart.js, vendored): OHDI per month as stacked weighted terms with the index as
// a line, the missing-information rate, and repairs per model by age. Data and words come from the page.

const WEIGHTS = { on_time: 0.4, first_pass_yield: 0.3, change_response: 0.2, rating: 0.1 };
const COLOURS = { on_time: "#1f5fa8", first_pass_yield: "#2e8b57", change_response: "#d98c00", rating: "#8e44ad" };
const AGE_COLOURS = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#bbbbbb"];

function data() {
  return JSON.parse(document.getElementById("kpi-data").textContent);
}

function canvas(name) {
  return document.querySelector(`canvas[data-chart="${name}"]`);
}

const percentAxis = { min: 0, max: 1, ticks: { callback: (v) => `${Math.round(v * 100)}%` } };

function ohdiChart({ ohdi, labels }) {
  const months = ohdi.months.map((m) => m.month);
  const terms = Object.keys(WEIGHTS).map((name) => ({
    type: "bar",
    label: `${labels[name]} ×${WEIGHTS[name]}`,
    data: ohdi.months.map((m) => (m.terms[name] === null ? null : m.terms[name] * WEIGHTS[name])),
    backgroundColor: COLOURS[name],
    stack: "terms",
  }));
  const index = {
    type: "line",
    label: labels.ohdi,
    data: ohdi.months.map((m) => m.ohdi),
    borderColor: "#1b1f24",
    backgroundColor: "#1b1f24",
    spanGaps: false,
  };
  return new window.Chart(canvas("ohdi"), {
    data: { labels: months, datasets: [index, ...terms] },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { stacked: true }, y: { stacked: true, min: 0, max: 1 } },
    },
  });
}

function missingChart({ missing, labels }) {
  return new window.Chart(canvas("missing"), {
    type: "bar",
    data: {
      labels: missing.months.map((m) => m.month),
      datasets: [{ label: labels.missing_rate, data: missing.months.map((m) => m.rate), backgroundColor: "#a3211a" }],
    },
    options: { maintainAspectRatio: false, animation: false, scales: { y: percentAxis } },
  });
}

function repairsChart({ hot_spots: spots, labels }) {
  const target = canvas("repairs");
  if (!target) return null;
  const datasets = spots.age_bands.map((band, i) => ({
    label: band === "unknown" ? labels.unknown : band,
    data: spots.models.map((m) => m.by_age[i]),
    backgroundColor: AGE_COLOURS[i % AGE_COLOURS.length],
    stack: "age",
  }));
  return new window.Chart(target, {
    type: "bar",
    data: { labels: spots.models.map((m) => m.model), datasets },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      animation: false,
      plugins: { title: { display: true, text: labels.age } },
      scales: {
        x: { stacked: true, title: { display: true, text: labels.repairs } },
        y: { stacked: true, ticks: { autoSkip: false } },
      },
    },
  });
}

function draw() {
  if (!window.Chart) return; // the library did not load: the tables still show every figure
  const page = data();
  ohdiChart(page);
  missingChart(page);
  repairsChart(page);
}

// chart.js is a classic deferred script; module scripts run after deferred ones, but be safe.
if (window.Chart) draw();
else addEventListener("load", draw);
