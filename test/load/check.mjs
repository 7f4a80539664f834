// @ts-check
// A check: one named invariant, whether it held, a one-line detail with its figures and, when it
// failed, a little evidence. Figures are kept by name for the summary table.

/**
 * @typedef {object} Check
 * @property {string} name
 * @property {boolean} pass
 * @property {string} detail
 * @property {unknown} [evidence] shown when it fails
 * @property {Record<string, number | string>} [figures] by figure name, for the table
 */

/**
 * @param {string} name
 * @param {boolean} pass
 * @param {string} detail
 * @param {{ evidence?: unknown, figures?: Record<string, number | string> }} [more]
 * @returns {Check}
 */
export function check(name, pass, detail, more = {}) {
  return { name, pass, detail, ...more };
}

/**
 * The same checks evaluated on every database server, as one: passes when it passed on each;
 * the detail names the servers only where they differ.
 * @param {{ label: string, checks: Check[] }[]} perNode
 * @returns {Check[]}
 */
export function acrossNodes(perNode) {
  if (perNode.length === 1) return perNode[0].checks;
  return perNode[0].checks.map((first, i) => {
    const all = perNode.map(({ label, checks }) => ({ label, check: checks[i] }));
    const same = all.every(({ check: c }) => c.detail === first.detail);
    const failing = all.find(({ check: c }) => !c.pass);
    return {
      name: first.name,
      pass: !failing,
      detail: same
        ? `${first.detail} (on each of the ${all.length} nodes)`
        : all.map(({ label, check: c }) => `${label}: ${c.detail}`).join('; '),
      evidence: failing ? { node: failing.label, evidence: failing.check.evidence } : undefined,
      figures: mergeFigures(all.map(({ check: c }) => c.figures ?? {})),
    };
  });
}

/** @param {Record<string, number | string>[]} list */
function mergeFigures(list) {
  /** @type {Record<string, number | string>} */
  const merged = {};
  for (const name of Object.keys(list[0] ?? {})) {
    const values = list.map((figures) => figures[name]);
    merged[name] = values.every((v) => v === values[0]) ? values[0] : values.join(' / ');
  }
  return merged;
}

/** @param {Check[]} checks @returns {Record<string, number | string>} */
export function figuresOf(checks) {
  return Object.assign({}, ...checks.map((c) => c.figures ?? {}));
}
