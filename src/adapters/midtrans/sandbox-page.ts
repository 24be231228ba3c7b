const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The sandbox's pay page: what a buyer sees after clicking the payment link. No external assets. */
export function sandboxPage(p: {
  orderId: string;
  amount: string;
  items: { name: string; quantity: number }[];
  status: string;
  token: string;
}): string {
  const items = p.items.map((i) => `<li>${esc(i.name)} × ${i.quantity}</li>`).join('');
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Bayar ${esc(p.orderId)} — Midtrans sandbox</title>
<style>
body{font-family:system-ui,sans-serif;background:#eef2f7;margin:0;display:flex;justify-content:center;padding:24px}
.card{background:#fff;border-radius:12px;box-shadow:0 2px 12px #0002;max-width:380px;width:100%;padding:24px}
h1{font-size:18px;margin:0 0 4px}.muted{color:#667;font-size:13px}.amount{font-size:28px;font-weight:700;margin:16px 0}
button{width:100%;padding:12px;border:0;border-radius:8px;font-size:16px;margin-top:10px;cursor:pointer}
.pay{background:#0a7cff;color:#fff}.expire{background:#eee}.banner{background:#fff3cd;padding:8px;border-radius:6px;font-size:12px}
#result{margin-top:14px;font-weight:600}
</style></head><body><div class="card" data-token="${esc(p.token)}">
<div class="banner">Sandbox kedai — tidak ada uang sungguhan.</div>
<h1>Pembayaran</h1><div class="muted">Pesanan ${esc(p.orderId)}</div>
<ul>${items}</ul>
<div class="amount">${esc(p.amount)}</div>
<div class="muted">Status: <span id="status">${esc(p.status)}</span></div>
<button class="pay" data-action="pay">Bayar</button>
<button class="expire" data-action="expire">Biarkan kedaluwarsa</button>
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
    ? (body.status === 'settlement' ? 'Pembayaran berhasil. Kembali ke chat: barang sudah dikirim.' : 'Pembayaran dibiarkan kedaluwarsa.')
    : (body.error || 'Gagal');
  for (const x of document.querySelectorAll('button')) x.disabled = true;
});
`;
