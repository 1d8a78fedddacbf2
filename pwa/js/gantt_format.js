// The Gantt's time axis labels in the page's language, by the browser's Intl (zh-CN: 2026年12月,
// 7日 周一, 14:00), instead of the moment locale bundled in vis-timeline.

function formatter(lang, options) {
  const format = new Intl.DateTimeFormat(lang, options);
  return (date) => format.format(new Date(date.valueOf()));
}

export function ganttFormat(lang) {
  const time = formatter(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const weekday = formatter(lang, { weekday: "short", day: "numeric" });
  const day = formatter(lang, { day: "numeric" });
  const month = formatter(lang, { month: "short" });
  const year = formatter(lang, { year: "numeric" });
  const monthYear = formatter(lang, { year: "numeric", month: "long" });
  const date = formatter(lang, { year: "numeric", month: "long", day: "numeric", weekday: "short" });
  const minor = { millisecond: time, second: time, minute: time, hour: time, weekday, day, week: day, month, year };
  const major = {
    millisecond: date,
    second: date,
    minute: date,
    hour: date,
    weekday: monthYear,
    day: monthYear,
    week: monthYear,
    month: year,
    year: () => "",
  };
  return {
    minorLabels: (value, scale) => (minor[scale] || time)(value),
    majorLabels: (value, scale) => (major[scale] || monthYear)(value),
  };
}
