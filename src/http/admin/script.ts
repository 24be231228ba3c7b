/**
 * The dashboard's only script, served from `/admin/app.js` (the CSP allows no
 * inline script): a TXT/CSV file chosen on the stock page fills the items box.
 */
export const DASHBOARD_SCRIPT = `for (const input of document.querySelectorAll('input[type=file][data-fill]')) {
  input.addEventListener('change', async () => {
    const file = input.files[0];
    if (!file) return;
    const text = await file.text();
    input.form.elements[input.dataset.fill].value = text.split(/\\r?\\n/).map((l) => l.replace(/^"(.*)"$/, '$1')).join('\\n');
  });
}
`;
