// Label sheets (templates/labels/sheet.html): the Print button opens the browser's print dialog.
document.querySelector('[data-action="print"]')?.addEventListener("click", () => window.print());
