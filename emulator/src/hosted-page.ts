import type { SessionRecord } from './session-store.js';

const DEFAULT_EMAIL = 'customer@example.com';
const formatters = new Map<string, Intl.NumberFormat | null>();

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Stripe amounts are in the currency's minor unit; Intl knows how many decimals each has. */
export function formatAmount(minorUnits: number, currency: string): string {
  const code = currency.toUpperCase();
  let formatter = formatters.get(code);
  if (formatter === undefined) {
    try {
      formatter = new Intl.NumberFormat('en', { style: 'currency', currency: code });
    } catch {
      formatter = null;
    }
    formatters.set(code, formatter);
  }
  if (!formatter) return `${(minorUnits / 100).toFixed(2)} ${code}`;
  const decimals = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  return formatter.format(minorUnits / 10 ** decimals);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1a1f36}
.banner{background:#fff3cd;border:1px solid #e0b100;padding:.5rem;border-radius:4px;font-size:.85rem}
table{width:100%;border-collapse:collapse;margin:1rem 0}td{padding:.35rem 0}td.amount{text-align:right}
tr.total td{border-top:1px solid #ccc;font-weight:bold}
label,input{display:block;width:100%;margin:.25rem 0}input{padding:.4rem;box-sizing:border-box}
button{margin-top:1rem;width:100%;padding:.6rem;background:#635bff;color:#fff;border:0;border-radius:4px;font-size:1rem}
</style>
</head>
<body>
<p class="banner">Stripe emulator: test mode, no real payment is made.</p>
${body}
</body>
</html>
`;
}

export function renderCheckoutPage(record: SessionRecord): string {
  const s = record.session;
  if (s.status === 'expired') {
    return layout('Session expired', '<h1 id="message">This Checkout Session has expired.</h1>');
  }
  if (s.status === 'complete') {
    return layout(
      'Already paid',
      '<h1 id="message">This Checkout Session is already complete.</h1>',
    );
  }
  const merchant = record.account ?? 'Test business';
  const rows = record.lineItems
    .map(
      (item) =>
        `<tr class="line-item"><td>${escapeHtml(item.description ?? '')} × ${item.quantity ?? 1}</td>` +
        `<td class="amount">${escapeHtml(formatAmount(item.amount_total, item.currency))}</td></tr>`,
    )
    .join('\n');
  const total =
    s.amount_total !== null && s.currency
      ? `<tr class="total"><td>Total</td><td class="amount" id="total">${escapeHtml(formatAmount(s.amount_total, s.currency))}</td></tr>`
      : '';
  const cancel = s.cancel_url
    ? `<p><a id="cancel" href="${escapeHtml(s.cancel_url)}">Cancel</a></p>`
    : '';
  const email = s.customer_email ?? DEFAULT_EMAIL;
  const body = `<h1>${escapeHtml(merchant)}</h1>
<table>
${rows}
${total}
</table>
<form method="post" action="/c/pay/${encodeURIComponent(s.id)}/complete">
<label for="email">Email</label>
<input id="email" name="email" type="email" value="${escapeHtml(email)}" required>
<button type="submit" id="pay">Pay</button>
</form>
${cancel}`;
  return layout('Checkout', body);
}

export function renderMessagePage(title: string, message: string): string {
  return layout(title, `<h1 id="message">${escapeHtml(message)}</h1>`);
}

export function defaultEmail(record: SessionRecord): string {
  return record.session.customer_email ?? DEFAULT_EMAIL;
}

/** Where the customer goes after paying: success_url (hosted) or return_url (embedded). */
export function completionRedirect(record: SessionRecord): string | null {
  const s = record.session;
  const target =
    s.ui_mode === 'hosted_page'
      ? s.success_url
      : s.redirect_on_completion === 'never'
        ? null
        : s.return_url;
  return target ? target.replaceAll('{CHECKOUT_SESSION_ID}', s.id) : null;
}
