// @ts-check
/**
 * The markup of `<vmsync-playground>`'s shadow root. Static: everything that changes is
 * filled in by the element, and the menus of the engine's names (modes, splits,
 * strategies, sync calls, hot-add kinds) by the views from the engine's catalog. Ids are
 * scoped to the shadow root, so they cannot clash with the host page.
 * @module
 */
/**
 * A kernel word of the forms: the glossary (`glossary-view.js`, loaded on first use)
 * gives it its meaning as a tooltip.
 * @param {string} id the glossary entry
 * @param {string} text as written here
 * @returns {string}
 */
function term(id, text) {
  return `<abbr data-term="${id}">${text}</abbr>`;
}

/**
 * A labelled text field.
 * @param {string} id
 * @param {string} label
 * @param {string} value
 * @param {string} [extra] extra attributes
 * @param {string} [cls] extra classes of the label (`addr`: an address, wider)
 * @returns {string}
 */
function field(id, label, value, extra = '', cls = '') {
  return `<label class="field${cls ? ' ' + cls : ''}" for="${id}"><span>${label}</span><input type="text" id="${id}" name="${id}" value="${value}" autocomplete="off" spellcheck="false" ${extra}></label>`;
}

/**
 * An operation form: a title, fields, a button and the line for its error.
 * @param {string} op
 * @param {string} title
 * @param {string} hint
 * @param {string} fields
 * @param {string} button
 * @returns {string}
 */
function opForm(op, title, hint, fields, button) {
  return `<form class="op" data-op="${op}" novalidate aria-labelledby="op-${op}-t" aria-describedby="op-${op}-err">
  <div class="op-title" id="op-${op}-t">${title} <small>${hint}</small></div>
  <div class="fields">${fields}<button type="submit" data-testid="do-${op}">${button}</button></div>
  <p class="error" id="op-${op}-err" role="alert" data-testid="error-${op}"></p>
</form>`;
}

/**
 * The element's markup. Only the element that is the page (`url-state`) has landmarks
 * and an `h1`: inside a host's document they would duplicate the host's own.
 * @param {string} cssHref
 * @param {boolean} page
 */
export function template(cssHref, page) {
  const [header, main, brand] = page ? ['header', 'main', 'h1'] : ['div', 'div', 'p'];
  return `<link rel="stylesheet" href="${cssHref}">
<div class="app" data-theme="light"${page ? ' data-page' : ''} hidden>
<a class="skip" href="#panels" id="skip" data-testid="skip">Skip to the page tables</a>
<${header} class="topbar">
  <${brand} class="brand">vmsync</${brand}>
  <p class="tagline">Every process's kernel page tables beside the reference: what drifts, and how the kernel keeps them in step.</p>
  <div class="top-actions">
    <label for="tour-select">Tour <select id="tour-select" data-testid="tour-select"><option value="">Free play</option></select></label>
    <button type="button" id="share-btn" aria-expanded="false" aria-controls="share">Share</button>
    <button type="button" id="present-btn" data-testid="present" aria-pressed="false" title="Presenter mode: the tour and its tables on one screen, large type, keys for every step">Present</button>
    <button type="button" id="theme-btn" data-testid="theme-toggle" aria-pressed="false">Dark theme</button>
  </div>
  <a class="open-full" id="open-full" target="_blank" rel="noopener" data-testid="open-full">Open in the full playground ↗</a>
</${header}>
<div class="fatal" id="fatal" role="alert" hidden>
  <h2>The engine stopped</h2>
  <p>This is a bug in vmsync, not in what you did. The playground cannot go on; start it again
    (the rest of the page is not touched, and a link keeps your state).</p>
  <pre id="fatal-text"></pre>
  <button type="button" id="reload-btn">Start again</button>
</div>
<section class="card link-err" id="link-err" role="alert" aria-labelledby="link-err-h" hidden data-testid="link-error">
  <h2 id="link-err-h">Part of this link could not be used</h2>
  <ul id="link-err-list"></ul>
  <p class="note">The rest of the link is shown; where it gave nothing, what was shown before stays (on a first visit, the default machine). The address bar holds what is shown.</p>
  <div class="row"><button type="button" id="link-err-retry" data-testid="link-retry" hidden>Try again</button> <button type="button" id="link-err-close">Dismiss</button></div>
</section>
<section class="card share" id="share" hidden></section>
<${main} class="layout">
  <div class="controls" id="controls">
    <section class="card" aria-labelledby="cfg-h">
      <h2 id="cfg-h">Machine</h2>
      <form class="cfg" id="config-form" novalidate aria-describedby="cfg-err">
        <div class="cfg-grid">
          <label class="field wide" for="cfg-mode"><span>Paging mode</span>
            <select id="cfg-mode" name="mode" data-testid="cfg-mode"></select></label>
          <label class="field" for="cfg-split"><span>${term('split', 'Memory split')}</span>
            <select id="cfg-split" name="split" data-testid="cfg-split"></select></label>
          ${field('cfg-ram', 'Usable RAM (top)', '0x1ffe0000', 'data-testid="cfg-ram"')}
          ${field('cfg-vmalloc', 'vmalloc= reserve', '', 'placeholder="default" data-testid="cfg-vmalloc"')}
          ${field('cfg-cpus', term('nr-cpus', 'NR_CPUS'), '32', 'inputmode="numeric" data-testid="cfg-cpus"')}
          <label class="field check" for="cfg-pti"><input type="checkbox" id="cfg-pti" name="pti" checked data-testid="cfg-pti"><span>${term('pti', 'PTI')}</span></label>
          <label class="field check" for="cfg-huge"><input type="checkbox" id="cfg-huge" name="huge" checked data-testid="cfg-huge"><span>${term('huge-ioremap', 'huge ioremap')}</span></label>
          <label class="field wide" for="cfg-strategy"><span>Sync strategy</span>
            <select id="cfg-strategy" name="strategy" data-testid="cfg-strategy"></select></label>
          <p class="note wide strategy-full" id="cfg-strategy-full" data-testid="cfg-strategy-full" aria-hidden="true"></p>
          <label class="field check wide" for="cfg-replay"><input type="checkbox" id="cfg-replay" name="replay" checked data-testid="cfg-replay" aria-describedby="cfg-replay-note"><span>replay the operations on the new machine</span></label>
          <p class="note wide replay-note" id="cfg-replay-note" data-testid="cfg-replay-note">Changing the mode or strategy keeps the operations: they are replayed on the new machine. Uncheck to start empty instead.</p>
        </div>
        <div class="row"><button type="submit" class="primary" data-testid="cfg-build">Build machine</button></div>
        <p class="error" id="cfg-err" role="alert" data-testid="error-config"></p>
      </form>
    </section>
    <section class="card" aria-labelledby="ops-h">
      <h2 id="ops-h">Operations</h2>
      <datalist id="dl-procs"></datalist>
      <datalist id="dl-allocs"></datalist>
      <div class="op-grid">
        ${opForm('fork', 'fork', 'a new process copies the kernel half', field('fork-name', 'name', 'A', 'data-testid="fork-name"'), 'Fork')}
        ${opForm('exit', 'exit', 'free a process and its tables', field('exit-process', 'process', '', 'list="dl-procs" data-testid="exit-process"'), 'Exit')}
        ${opForm('allocate', 'allocate', 'vmalloc()',
          field('allocate-name', 'name', 'buf1', 'data-testid="allocate-name"') +
          field('allocate-size', 'size', '64K', 'data-testid="allocate-size"') +
          '<label class="field check" for="allocate-preempt"><input type="checkbox" id="allocate-preempt" data-testid="allocate-preempt">' +
          '<span>' + term('preempt', 'preempt') + '</span></label>',
          'Allocate')}
        ${opForm('map', 'map', 'ioremap() of a physical range', field('map-name', 'name', 'io1', 'data-testid="map-name"') + field('map-phys', 'physical', '0xfe000000', 'data-testid="map-phys"', 'addr') + field('map-size', 'size', '2M', 'data-testid="map-size"'), 'Map')}
        ${opForm('unmap', 'unmap', 'vfree() / iounmap()', field('unmap-name', 'allocation', '', 'list="dl-allocs" data-testid="unmap-name"'), 'Unmap')}
        ${opForm('sync', 'sync', 'an explicit sync call', `<label class="field" for="sync-kind"><span>call</span><select id="sync-kind" data-testid="sync-kind"></select></label>`, 'Sync')}
        ${opForm('resume', 'resume', 'run the syncs a preempted allocation held', '', 'Resume')}
        ${opForm('access', 'access', 'a CPU access from a process', field('access-process', 'process', 'A', 'list="dl-procs" data-testid="access-process"') + field('access-addr', 'address', 'buf1', 'list="dl-allocs" data-testid="access-addr"', 'addr'), 'Access')}
        ${opForm('hotplug', 'hotplug', 'memory hot-add (64-bit)',
          field('hotplug-name', 'name', 'mem1', 'data-testid="hotplug-name"') +
          field('hotplug-phys', 'physical', '0x200000000000', 'data-testid="hotplug-phys"', 'addr') +
          field('hotplug-size', 'size', '1G', 'data-testid="hotplug-size"') +
          `<label class="field" for="hotplug-kind"><span>memory</span><select id="hotplug-kind" data-testid="hotplug-kind"></select></label>` +
          field('hotplug-by', 'by process', '', 'data-testid="hotplug-by" placeholder="(kernel thread)"'),
          'Hot-add')}
        ${opForm('ldt', 'ldt', 'modify_ldt() maps the LDT (PTI)', field('ldt-process', 'process', 'A', 'list="dl-procs" data-testid="ldt-process"'), 'Map LDT')}
      </div>
    </section>
  </div>
  <div class="stage">
    <section class="card welcome" id="welcome" aria-labelledby="welcome-h" hidden data-testid="welcome">
      <h2 id="welcome-h">The kernel half of every process's page tables</h2>
      <p>Linux builds the kernel's mappings once, in a reference table, and every process has its own copy of the top of it. vmsync runs that on x86 paging as the kernel does, and shows where a process's copy drifts from the reference, and how each kernel era brings it back (or does not).</p>
      <div class="row">
        <button type="button" class="primary" id="welcome-tour" data-testid="start-tour">Take the first tour</button>
        <button type="button" id="welcome-try" data-testid="start-try">Try it: fork, allocate, access</button>
        <button type="button" id="welcome-close">Just explore</button>
      </div>
      <p class="note" id="welcome-step" aria-live="polite" data-testid="welcome-step"></p>
    </section>
    <section class="card tour" id="tour" hidden data-testid="tour"></section>
    <section class="card timeline" aria-labelledby="tl-h">
      <div class="tl-bar">
        <h2 id="tl-h">Timeline</h2>
        <button type="button" id="tl-back" data-testid="step-back" aria-keyshortcuts="Alt+ArrowLeft">◀ <span class="tl-word">Step back</span></button>
        <input type="range" id="tl-range" min="0" max="0" value="0" aria-label="Timeline position (operations applied)" data-testid="timeline">
        <button type="button" id="tl-fwd" data-testid="step-forward" aria-keyshortcuts="Alt+ArrowRight"><span class="tl-word">Step forward</span> ▶</button>
        <span class="pos" id="tl-pos" aria-live="polite"></span>
        <button type="button" id="tl-undo" data-testid="undo" aria-keyshortcuts="Control+Z">Undo</button>
        <button type="button" id="tl-redo" data-testid="redo" aria-keyshortcuts="Control+Shift+Z">Redo</button>
      </div>
      <p class="note">Step back and forward move through the operations; Undo and Redo take back whole actions (an operation that cut off later steps, a rebuild, a loaded tour).</p>
    </section>
    <div class="row density"><label for="cell-size">Cell size <select id="cell-size" data-testid="cell-size"><option value="auto">fit the page</option><option value="3">small</option><option value="6">medium</option><option value="10">large</option></select></label>
      <span class="note">Hover or focus a cell for its entry; select it for its lower tables.</span></div>
    <section class="panels" id="panels" aria-label="Page tables: the reference and every process" tabindex="-1" data-testid="panels"></section>
    <section class="card info" aria-labelledby="info-h" data-testid="slot-info">
      <h2 id="info-h">Slot</h2>
      <div id="info-body"><p class="note">Hover over a cell, or focus a grid and use the arrow keys; Enter (or a click) selects a slot and shows its lower tables.</p></div>
      <div id="drill" data-testid="drill"></div>
    </section>
    <details class="card glossary" id="glossary" data-testid="glossary">
      <summary><h2>Glossary</h2> <span class="note">the kernel's words, and where the kernel defines each</span></summary>
      <dl id="glossary-list" class="glossary-list"></dl>
    </details>
    <details class="card compare" id="compare" data-testid="compare">
      <summary><h2>Compare eras</h2> <span class="note">the operations so far, under every kernel era, side by side</span></summary>
      <vmsync-compare-view id="compare-view"></vmsync-compare-view>
    </details>
    <details class="card io" id="io" data-testid="io">
      <summary><h2>In and out</h2> <span class="note">export the timeline or a figure, open a file, edit the scenario</span></summary>
      <vmsync-io-panel id="io-panel"></vmsync-io-panel>
    </details>
    <section class="card" aria-labelledby="lg-h">
      <h2 id="lg-h">Layout</h2>
      <div id="summary" class="summary" data-testid="layout-summary"></div>
      <div id="ruler" class="ruler" role="img" aria-label="Kernel address space by region"></div>
      <div id="ruler-ticks" class="ruler-ticks" aria-hidden="true"></div>
      <div class="legend-group"><span>Regions</span><ul class="legend" id="legend-regions"></ul></div>
      <div class="legend-group"><span>Entries (lightness)</span><ul class="legend" id="legend-kinds"></ul></div>
      <div class="legend-group"><span>Drift from the reference (colour and glyph)</span><ul class="legend" id="legend-div"></ul></div>
      <details><summary>Boundaries</summary><dl class="bounds" id="bounds"></dl></details>
    </section>
    <div class="two">
      <section class="card" aria-labelledby="walk-h">
        <h2 id="walk-h">Access</h2>
        <vmsync-walk-view id="walk" data-testid="walk"><p class="walk-heading">No access yet: run one to see the walk.</p></vmsync-walk-view>
      </section>
      <section class="card" aria-labelledby="met-h">
        <h2 id="met-h">Metrics</h2>
        <table class="metrics" id="metrics" data-testid="metrics"></table>
        <div class="chart-box"><vmsync-metrics-chart id="chart"></vmsync-metrics-chart></div>
        <div class="chart-key" id="chart-key" aria-hidden="true"></div>
      </section>
    </div>
    <section class="card" aria-labelledby="log-h">
      <h2 id="log-h">Event log</h2>
      <ol class="log" id="log" data-testid="log" tabindex="0" aria-labelledby="log-h"></ol>
    </section>
    <details class="card table-view" id="table-view" data-testid="table-view">
      <summary>Table view: every slot as text (for screen readers)</summary>
      <label class="field check" for="tv-all"><input type="checkbox" id="tv-all"><span>include slots empty in every table</span></label>
      <div class="table-scroll" id="tv-body" tabindex="0" role="region" aria-label="Slots as a table"></div>
    </details>
  </div>
</${main}>
<div class="tip" id="tip" aria-hidden="true" hidden data-testid="tooltip"></div>
<div class="sr-only" aria-live="polite" id="announce"></div>
</div>
<div class="loading" id="loading" role="status">Loading the paging engine…</div>`;
}

/**
 * The one Trusted Types policy of vmsync: the element's markup, built by `template()`
 * from constants (never from user data, which the views set as text). Where the browser
 * has no Trusted Types, the markup is assigned as it is.
 * @type {{createHTML: (s: string) => unknown} | undefined}
 */
const TEMPLATE_POLICY = /** @type {any} */ (globalThis).trustedTypes?.createPolicy('vmsync-template', {
  createHTML: (/** @type {string} */ s) => s,
});

/**
 * The element's markup, through the Trusted Types policy where the browser has one.
 * @param {string} cssHref
 * @param {boolean} page
 * @returns {unknown} TrustedHTML, or the markup as a string
 */
export function trustedTemplate(cssHref, page) {
  return trusted(template(cssHref, page));
}

/**
 * Markup of vmsync's own, from constants, through the Trusted Types policy where the
 * browser has one: the cards a part loaded on first use brings (Share, the tour card, the
 * list of keys).
 * @param {string} html
 * @returns {string} TrustedHTML, or the markup as a string (typed as the latter, for
 *   `innerHTML`)
 */
export function trusted(html) {
  return /** @type {string} */ (TEMPLATE_POLICY ? TEMPLATE_POLICY.createHTML(html) : html);
}

/**
 * Resolves once the shadow root's stylesheet has loaded (or failed to): the first drawing
 * sizes the grids to the laid-out page, so drawn before the styles apply it is drawn
 * again at once.
 * @param {ShadowRoot} root
 * @returns {Promise<void>}
 */
export function stylesheetLoaded(root) {
  const link = root.querySelector('link[rel="stylesheet"]');
  if (!(link instanceof HTMLLinkElement) || link.sheet) return Promise.resolve();
  return new Promise((ok) => {
    link.addEventListener('load', () => ok(), { once: true });
    link.addEventListener('error', () => ok(), { once: true });
  });
}
