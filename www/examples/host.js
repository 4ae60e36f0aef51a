// The example host page's own script (an external file: the page's policy allows no
// inline script). It follows the tour element through its events, which bubble out of
// the element: `vmsync-step` when the tour shows a step, `vmsync-error` when the element
// cannot do what it was asked (docs/embedding.md#events).
const demo = document.getElementById('tour-demo');
const status = document.getElementById('tour-status');

demo?.addEventListener('vmsync-step', (e) => {
  const { step } = /** @type {CustomEvent<{tour: string, step: number, position: number}>} */ (e).detail;
  if (status) status.textContent = `The tour above is at step ${step}.`;
});
demo?.addEventListener('vmsync-error', (e) => {
  const { name, message } = /** @type {CustomEvent<{name: string, message: string}>} */ (e).detail;
  if (status) status.textContent = `The tour could not be shown (${name}): ${message}`;
});
