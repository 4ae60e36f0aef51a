// @ts-check
/**
 * The browser's side of files for the "In and out" panel: a download through a
 * temporary `<a download>` and an object URL, an SVG figure painted to a PNG (the SVG
 * drawn as an image into a canvas, then `toBlob`), and what a drop or a paste carries.
 * No library, nothing inline. The figure is drawn from a `data:` URL, which a strict
 * Content-Security-Policy allows for images (`img-src 'self' data:`).
 *
 * Usage:
 *   download(panel, 'vmsync.svg', svgText, 'image/svg+xml');
 *   const png = await svgToPng(svgText, 2);             // Uint8Array
 *   const got = await fromTransfer(event.dataTransfer); // {name, bytes} | {text} | null
 * @module
 */

/** The widest canvas painted, in device pixels (browsers refuse much larger ones). */
const MAX_SIDE = 16384;

/**
 * Offers `data` as a file download named `name`.
 * @param {Element} host where the temporary link goes (it is removed at once)
 * @param {string} name
 * @param {string | Uint8Array} data
 * @param {string} type
 */
export function download(host, name, data, type) {
  const url = URL.createObjectURL(new Blob([/** @type {BlobPart} */ (data)], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  host.append(a);
  a.click();
  a.remove();
  // The download has started from the URL by now; keep it a while for slow starts.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/**
 * An SVG document painted to PNG bytes at `scale` device pixels per SVG pixel (smaller
 * when the figure would be wider or taller than a canvas can be).
 * @param {string} svg a document with `width` and `height` attributes
 * @param {number} scale
 * @returns {Promise<Uint8Array>}
 */
export async function svgToPng(svg, scale) {
  const img = new Image();
  img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
  await img.decode();
  const w = img.naturalWidth || 1;
  const h = img.naturalHeight || 1;
  const k = Math.min(scale, MAX_SIDE / w, MAX_SIDE / h);
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(w * k));
  canvas.height = Math.max(1, Math.round(h * k));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas to paint the figure on');
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas gave no PNG'))), 'image/png'),
  );
  return new Uint8Array(await /** @type {Blob} */ (blob).arrayBuffer());
}

/**
 * What a drop or a paste carries: its first file's bytes, or else its plain text.
 * @param {DataTransfer | null} dt
 * @returns {Promise<{name: string, bytes: Uint8Array} | {text: string} | null>}
 */
export async function fromTransfer(dt) {
  if (!dt) return null;
  const file = dt.files && dt.files.length ? dt.files[0] : null;
  if (file) return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
  const text = dt.getData('text/plain');
  return text ? { text } : null;
}

/**
 * Whether a drag carries something the panel can open (a file or text).
 * @param {DataTransfer | null} dt
 * @returns {boolean}
 */
export function carriesSomething(dt) {
  return !!dt && [...dt.types].some((t) => t === 'Files' || t === 'text/plain');
}
