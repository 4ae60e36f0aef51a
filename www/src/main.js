// @ts-check
/**
 * Start-up: registers the components the first drawing needs, once. Both pages load this
 * module, and so does a host page that embeds `<vmsync-playground>` directly. The element
 * loads the rest when first used (dynamic imports: the tour card, Compare eras, In and
 * out, the Glossary, the table view, Share, the slot card, the page walk;
 * docs/page-load.md).
 *
 * Usage:
 *   <script type="module" src="src/main.js"></script>
 *   <vmsync-playground url-state></vmsync-playground>
 * @module
 */
import { loadEngine } from './engine.js';
import { registerSlotGrid } from './components/slot-grid/slot-grid.js';
import { registerMetricsChart } from './components/metrics-chart/metrics-chart.js';
import { registerVmsyncPlayground } from './components/vmsync-playground/vmsync-playground.js';

/** Registers the custom elements of vmsync that the first drawing needs (safe to call more than once). */
export function registerAll() {
  registerSlotGrid();
  registerMetricsChart();
  registerVmsyncPlayground();
}

// The wasm compiles (streaming, off the main thread) while the element builds its markup;
// the element awaits the same load, and shows its failure.
loadEngine().catch(() => {});
registerAll();
