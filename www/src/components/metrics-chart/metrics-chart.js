// @ts-check
/**
 * `<vmsync-metrics-chart>`: small line charts of cumulative metrics over the timeline,
 * one line per series, each normalised to its own maximum (the numbers are in the
 * metrics table beside it). The canvas is hidden from screen readers, who read the
 * numbers in that table.
 *
 * Usage:
 *   registerMetricsChart();
 *   chart.update({ series: [{ name, colour, dash, values }], cursor: 3, grid: '#d5d8de' });
 */

/**
 * @typedef {object} Series
 * @property {string} name
 * @property {string} colour
 * @property {number[]} dash line dash pattern (distinguishes series without colour)
 * @property {number[]} values one value per timeline position (boot first)
 */

export class MetricsChart extends HTMLElement {
  /** @type {HTMLCanvasElement} */
  #canvas;
  /** @type {{series: Series[], cursor: number, grid: string, ink?: string} | null} */
  #data = null;
  /** @type {ResizeObserver | null} */
  #ro = null;
  /** The element's content size, as the ResizeObserver last reported it. */
  #w = 0;
  #h = 0;

  constructor() {
    super();
    this.#canvas = document.createElement('canvas');
    this.#canvas.setAttribute('aria-hidden', 'true');
    this.#canvas.style.display = 'block';
    this.#canvas.style.width = '100%';
    this.#canvas.style.height = '100%';
  }

  connectedCallback() {
    if (!this.#canvas.isConnected) this.append(this.#canvas);
    // The size comes from the observer, so that update() never forces a layout in the
    // middle of the playground's redraw.
    this.#ro = new ResizeObserver((entries) => {
      const r = entries[entries.length - 1].contentRect;
      this.#w = Math.round(r.width);
      this.#h = Math.round(r.height);
      this.#paint();
    });
    this.#ro.observe(this);
  }

  disconnectedCallback() {
    this.#ro?.disconnect();
  }

  /**
   * @param {{series: Series[], cursor: number, grid: string, ink?: string}} data `grid`: the
   *   colour of the base line and the cursor; `ink`: of the axis labels
   */
  update(data) {
    this.#data = data;
    this.#paint();
  }

  #paint() {
    const d = this.#data;
    const w = this.#w;
    const h = this.#h;
    if (!d || w === 0 || h === 0) return;
    const dpr = Math.max(1, Math.round(globalThis.devicePixelRatio || 1));
    if (this.#canvas.width !== w * dpr || this.#canvas.height !== h * dpr) {
      this.#canvas.width = w * dpr;
      this.#canvas.height = h * dpr;
    }
    const ctx = this.#canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const pad = 4;
    // The x axis (steps of the timeline) is labelled along the bottom; each line is drawn
    // to its own maximum (the key says what that is), so the y axis is 0 to 100 %.
    const axis = 14;
    const base = h - axis;
    const n = Math.max(1, ...d.series.map((s) => s.values.length));
    const x = (/** @type {number} */ i) => pad + (n <= 1 ? 0 : (i * (w - 2 * pad)) / (n - 1));
    ctx.strokeStyle = d.grid;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(pad, base + 0.5);
    ctx.lineTo(w - pad, base + 0.5);
    ctx.moveTo(pad + 0.5, pad);
    ctx.lineTo(pad + 0.5, base);
    ctx.stroke();
    ctx.fillStyle = d.ink ?? d.grid;
    ctx.font = '10px system-ui, sans-serif';
    ctx.textBaseline = 'bottom';
    ctx.textAlign = 'left';
    ctx.fillText('boot', pad, h);
    ctx.textAlign = 'center';
    ctx.fillText('step (operations applied)', w / 2, h);
    ctx.textAlign = 'right';
    ctx.fillText(String(n - 1), w - pad, h);
    ctx.textBaseline = 'top';
    ctx.textAlign = 'left';
    ctx.fillText('100 % of each line\'s maximum', pad + 4, pad);
    if (d.cursor >= 0 && n > 1) {
      ctx.setLineDash([2, 2]);
      ctx.beginPath();
      ctx.moveTo(Math.round(x(d.cursor)) + 0.5, pad);
      ctx.lineTo(Math.round(x(d.cursor)) + 0.5, base);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    for (const s of d.series) {
      let max = 1;
      for (const v of s.values) if (v > max) max = v;
      ctx.strokeStyle = s.colour;
      ctx.lineWidth = 2;
      ctx.setLineDash(s.dash);
      ctx.beginPath();
      const y = (/** @type {number} */ v) => base - (v / max) * (base - 2 * pad);
      const cols = Math.max(1, Math.floor(w - 2 * pad));
      if (s.values.length <= 2 * cols) {
        s.values.forEach((v, i) => {
          if (i === 0) ctx.moveTo(x(i), y(v));
          else ctx.lineTo(x(i), y(v));
        });
      } else {
        // More points than pixels (a long timeline): each pixel column draws the lowest
        // and the highest value of its points, which is what the full line would cover.
        ctx.moveTo(x(0), y(s.values[0]));
        let i = 0;
        for (let c = 0; c < cols; c++) {
          const end = Math.min(s.values.length, Math.ceil(((c + 1) * s.values.length) / cols));
          if (i >= end) continue;
          let lo = s.values[i];
          let hi = lo;
          const first = lo;
          for (; i < end; i++) {
            const v = s.values[i];
            if (v < lo) lo = v;
            if (v > hi) hi = v;
          }
          const last = s.values[end - 1];
          const at = x(end - 1);
          // In the order the line passes them: from the first value to the last.
          const [a, b] = first <= last ? [lo, hi] : [hi, lo];
          ctx.lineTo(at, y(a));
          ctx.lineTo(at, y(b));
          ctx.lineTo(at, y(last));
        }
      }
      if (s.values.length === 1) ctx.lineTo(x(0) + 2, base - (s.values[0] / max) * (base - 2 * pad));
      ctx.stroke();
    }
    ctx.setLineDash([]);
  }
}

/** Registers `<vmsync-metrics-chart>` (once). */
export function registerMetricsChart() {
  if (!customElements.get('vmsync-metrics-chart')) customElements.define('vmsync-metrics-chart', MetricsChart);
}
