const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page's words in the store's language; the script's answers ride on the card's data attributes. */
const WORDS = {
  id: { pay: 'Bayar', title: 'Pembayaran', order: 'Pesanan', banner: 'Sandbox kedai — tidak ada uang sungguhan.', expire: 'Biarkan kedaluwarsa', paid: 'Pembayaran berhasil. Kembali ke chat: barang sudah dikirim.', expired: 'Pembayaran dibiarkan kedaluwarsa.', failed: 'Gagal' },
  en: { pay: 'Pay', title: 'Payment', order: 'Order', banner: 'kedai sandbox — no real money.', expire: 'Let it expire', paid: 'Paid. Back to the chat: the goods are on their way.', expired: 'The payment was left to expire.', failed: 'Failed' },
};

/** The sandbox's pay page: what a buyer sees after clicking the payment link. No external assets. */
export function sandboxPage(
  p: {
    orderId: string;
    amount: string;
    items: { name: string; quantity: number }[];
    status: string;
    token: string;
  },
  locale: 'id' | 'en' = 'id',
): string {
  const w = WORDS[locale];
  const items = p.items.map((i) => `<li>${esc(i.name)} × ${i.quantity}</li>`).join('');
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${w.pay} ${esc(p.orderId)} — Midtrans sandbox</title>
<style>
body{font-family:system-ui,sans-serif;background:#eef2f7;margin:0;display:flex;justify-content:center;padding:24px}
.card{background:#fff;border-radius:12px;box-shadow:0 2px 12px #0002;max-width:380px;width:100%;padding:24px}
h1{font-size:18px;margin:0 0 4px}.muted{color:#667;font-size:13px}.amount{font-size:28px;font-weight:700;margin:16px 0}
button{width:100%;padding:12px;border:0;border-radius:8px;font-size:16px;margin-top:10px;cursor:pointer}
.pay{background:#0a7cff;color:#fff}.expire{background:#eee}.banner{background:#fff3cd;padding:8px;border-radius:6px;font-size:12px}
#result{margin-top:14px;font-weight:600}
</style></head><body><div class="card" data-token="${esc(p.token)}" data-paid="${esc(w.paid)}" data-expired="${esc(w.expired)}" data-failed="${esc(w.failed)}">
<div class="banner">${w.banner}</div>
<h1>${w.title}</h1><div class="muted">${w.order} ${esc(p.orderId)}</div>
<ul>${items}</ul>
<div class="amount">${esc(p.amount)}</div>
<div class="muted">Status: <span id="status">${esc(p.status)}</span></div>
<button class="pay" data-action="pay">${w.pay}</button>
<button class="expire" data-action="expire">${w.expire}</button>
<div id="result"></div>
</div><script src="/sandbox/midtrans/pay.js" defer></script></body></html>`;
}

/** The pay page's script, served from its own URL: the page's CSP allows no inline script. */
export const SANDBOX_PAGE_SCRIPT = `const card = document.querySelector('.card');
for (const b of document.querySelectorAll('button')) b.addEventListener('click', async () => {
  const res = await fetch('/sandbox/midtrans/pay/' + encodeURIComponent(card.dataset.token), {method:'POST', headers:{'content-type':'application/json'}, body: JSON.stringify({action: b.dataset.action})});
  const body = await res.json();
  document.getElementById('status').textContent = body.status || '';
  document.getElementById('result').textContent = res.ok
    ? (body.status === 'settlement' ? card.dataset.paid : card.dataset.expired)
    : (body.error || card.dataset.failed);
  for (const x of document.querySelectorAll('button')) x.disabled = true;
});
`;
