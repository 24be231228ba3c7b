/**
 * The dashboard's only script, served from `/admin/app.js` (the CSP allows no
 * inline script): a TXT/CSV file chosen on the stock page fills the items box; a
 * destructive button asks first; on a phone every table cell carries its column's
 * name, so a row reads as a card (the CSS stacks them).
 */
export const DASHBOARD_SCRIPT = `for (const input of document.querySelectorAll('input[type=file][data-fill]')) {
  input.addEventListener('change', async () => {
    const file = input.files[0];
    if (!file) return;
    const text = await file.text();
    input.form.elements[input.dataset.fill].value = text.split(/\\r?\\n/).map((l) => l.replace(/^"(.*)"$/, '$1')).join('\\n');
  });
}

const english = document.documentElement.lang === 'en';
document.addEventListener('submit', (e) => {
  const button = e.submitter;
  if (!button || !button.classList.contains('danger')) return;
  const ask = button.dataset.confirm || (english ? 'Are you sure? This cannot be undone.' : 'Yakin? Ini tidak bisa dibatalkan.');
  if (!window.confirm(ask)) e.preventDefault();
});
for (const table of document.querySelectorAll('table')) {
  const head = table.querySelector('tr');
  if (!head || !head.querySelector('th')) continue;
  const names = [...head.children].map((th) => th.textContent.trim());
  head.classList.add('head');
  for (const row of [...table.querySelectorAll('tr')].slice(1)) [...row.children].forEach((cell, i) => { if (names[i]) cell.dataset.label = names[i]; });
  table.classList.add('cards');
}
`;
