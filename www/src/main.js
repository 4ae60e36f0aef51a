// @ts-check
/**
 * Start-up: registers every component, once. Both pages load this module, and so does a
 * host page that embeds `<vmsync-playground>` directly.
 *
 * Usage:
 *   <script type="module" src="src/main.js"></script>
 *   <vmsync-playground url-state></vmsync-playground>
 * @module
 */
import { registerSlotGrid } from './components/slot-grid/slot-grid.js';
import { registerWalkView } from './components/walk-view/walk-view.js';
import { registerCompareView } from './components/compare-view/compare-view.js';
import { registerMetricsChart } from './components/metrics-chart/metrics-chart.js';
import { registerIoPanel } from './components/io-panel/io-panel.js';
import { registerVmsyncPlayground } from './components/vmsync-playground/vmsync-playground.js';

/** Registers every custom element of vmsync (safe to call more than once). */
export function registerAll() {
  registerSlotGrid();
  registerWalkView();
  registerMetricsChart();
  registerCompareView();
  registerIoPanel();
  registerVmsyncPlayground();
}

registerAll();
