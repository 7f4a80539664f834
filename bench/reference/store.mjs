// @ts-check
// What the reference asks of its database, on SQLite or MariaDB (REFERENCE_DB=sqlite:<file> or
// mysql://…): a handful of prepared statements, nothing else.

/**
 * @typedef {object} OpenArgs
 * @property {string} checkoutId
 * @property {string} sessionId
 * @property {string} paymentStatus
 * @property {string | null} url
 * @property {string} now
 * @property {string} payableId
 * @property {string} token
 */

/**
 * @typedef {object} Store
 * @property {(hash: string) => Promise<any>} apiKey
 * @property {(id: string) => Promise<any>} company
 * @property {(companyId: string, country: string) => Promise<any[]>} prices
 * @property {(payable: any[], checkout: any[]) => Promise<boolean>} createLeased a new payable with its lease and write-ahead row; false when it exists
 * @property {(args: any[]) => Promise<string | undefined>} lease an existing payable's lease
 * @property {(checkout: any[]) => Promise<void>} insertCheckout
 * @property {(o: OpenArgs) => Promise<boolean>} openAndRelease
 * @property {(now: string, id: string) => Promise<void>} fail
 * @property {(payableId: string, token: string) => Promise<void>} release
 * @property {() => Promise<void>} close
 */

/** @param {string} url @returns {Promise<Store>} */
export async function openStore(url) {
  if (url.startsWith('mysql://')) return (await import('./mysql-store.mjs')).mysqlStore(url);
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  return (await import('./sqlite-store.mjs')).sqliteStore(file);
}
