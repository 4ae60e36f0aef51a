//! The pixels of a slot grid: a table's cell bytes turned into RGBA words, in the colours
//! a palette gives (the page's, so that themes stay the page's).
//!
//! A grid is `cols` cells per row, each `cell` CSS pixels square with a 1 px gap of the
//! background between cells, at `scale` device pixels per CSS pixel. A cell is filled
//! by its region and the low five bits of its byte (entry kind and divergence class, as
//! [`crate::catalog`] lays them out); a drifted or private cell carries its class's glyph
//! (missing `−`, stale `×`, different `=`, private `•`), and a cell the last step changed
//! a corner mark. Rings (selection, focus, hover) are not pixels here: the page strokes
//! them on top.
//!
//! Words are `u32` with red in the low byte (`0xAABBGGRR`), so that on a little-endian
//! machine (wasm32) their bytes are the `R, G, B, A` of an `ImageData`.

use crate::error::{err, Result};

/// Fills in a palette: one per (region code & 15) * 32 + (cell byte & 31).
pub const FILLS: usize = 16 * 32;
/// Index of the background (the gaps) in a palette.
pub const BACKGROUND: usize = FILLS;
/// Index of the glyph colour of class 1 (missing); classes 1 to 4 follow in order.
pub const GLYPH_INK: usize = FILLS + 1;
/// Index of the colour of the corner mark of a changed cell.
pub const MARK: usize = FILLS + 5;
/// Words in a palette.
pub const PALETTE_WORDS: usize = FILLS + 6;

/// The largest cell edge, in CSS pixels.
pub const MAX_CELL: u32 = 64;
/// The largest device pixels per CSS pixel.
pub const MAX_SCALE: u32 = 4;
/// The most pixels one grid may have (a 5-level table's 256 kernel slots at the largest
/// cell and scale fit many times over).
pub const MAX_PIXELS: usize = 1 << 24;

/// The geometry of a grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grid {
    /// Cells per row.
    pub cols: u32,
    /// Cell edge in CSS pixels, without the 1 px gap.
    pub cell: u32,
    /// Device pixels per CSS pixel.
    pub scale: u32,
}

impl Grid {
    /// Width and height in device pixels of a grid of `slots` cells.
    pub fn size(&self, slots: usize) -> (usize, usize) {
        let cols = self.cols.max(1) as usize;
        let rows = slots.div_ceil(cols);
        let step = (self.cell + 1) as usize;
        let w = (cols * step).saturating_sub(1) * self.scale as usize;
        let h = (rows * step).saturating_sub(1) * self.scale as usize;
        (w, h)
    }
}

/// Paints a grid into `px` (resized to width × height words, row after row) and returns
/// its width and height in device pixels. `regions` holds a region code per slot (its
/// length is the slot count), `cells` a cell byte per slot (missing ones are drawn as
/// background), `changed` the slots to mark (others are ignored).
///
/// # Errors
/// `InvalidConfig` for a palette of other than [`PALETTE_WORDS`] words, no columns, a
/// cell of 0 or more than [`MAX_CELL`] px, a scale of 0 or more than [`MAX_SCALE`], or a
/// grid of more than [`MAX_PIXELS`] pixels.
pub fn paint(
    px: &mut Vec<u32>,
    grid: Grid,
    palette: &[u32],
    regions: &[u8],
    cells: &[u8],
    changed: &[u32],
) -> Result<(usize, usize)> {
    if palette.len() != PALETTE_WORDS {
        return Err(err!(
            InvalidConfig,
            "a palette has {PALETTE_WORDS} words, not {}",
            palette.len()
        ));
    }
    if grid.cols == 0 || grid.cell == 0 || grid.cell > MAX_CELL {
        return Err(err!(
            InvalidConfig,
            "a grid needs at least one column and cells of 1 to {MAX_CELL} px (cols {}, cell {})",
            grid.cols,
            grid.cell
        ));
    }
    if grid.scale == 0 || grid.scale > MAX_SCALE {
        return Err(err!(
            InvalidConfig,
            "the scale is 1 to {MAX_SCALE} device pixels per CSS pixel, not {}",
            grid.scale
        ));
    }
    let (w, h) = grid.size(regions.len());
    if w.saturating_mul(h) > MAX_PIXELS {
        return Err(err!(
            InvalidConfig,
            "a grid of {w} x {h} pixels is more than {MAX_PIXELS}"
        ));
    }
    let bg = palette[BACKGROUND];
    px.clear();
    px.resize(w * h, bg);
    if w == 0 || h == 0 {
        return Ok((w, h));
    }
    let cols = grid.cols as usize;
    let sc = grid.scale as usize;
    let s = grid.cell as usize * sc; // cell edge, device px
    let step = s + sc; // cell and gap
    let n = regions.len().min(cells.len());
    let glyphs = Glyphs::new(grid.cell as usize, sc);
    for row in 0..regions.len().div_ceil(cols) {
        let first = row * cols;
        let top = row * step * w;
        // The first line of the row: each cell's fill, the gaps left as background.
        let line = &mut px[top..top + w];
        for (c, i) in (first..(first + cols).min(n)).enumerate() {
            let fill = palette[(regions[i] as usize & 15) * 32 + (cells[i] as usize & 31)];
            line[c * step..c * step + s].fill(fill);
        }
        // The other lines of the row are copies of it.
        for y in 1..s {
            px.copy_within(top..top + w, top + y * w);
        }
        // Glyphs over the fills.
        for (c, i) in (first..(first + cols).min(n)).enumerate() {
            let class = (cells[i] >> 2) & 7;
            if (1..=4).contains(&class) {
                let ink = palette[GLYPH_INK + class as usize - 1];
                glyphs.draw(px, w, top + c * step, class, ink);
            }
        }
    }
    // Corner marks of the changed cells: a right triangle in the top-left corner.
    let mark = palette[MARK];
    let cell = grid.cell as usize;
    let m = cell.div_ceil(2).max(2).min(cell); // its edge, CSS px
    for &i in changed {
        let i = i as usize;
        if i >= regions.len() {
            continue;
        }
        let origin = (i / cols) * step * w + (i % cols) * step;
        for y in 0..m * sc {
            let o = origin + y * w;
            px[o..o + (m - y / sc) * sc].fill(mark);
        }
    }
    Ok((w, h))
}

/// The glyph shapes at one cell size, as rectangles in device pixels from a cell's corner.
struct Glyphs {
    /// Per class 1 to 4: (x, y, width, height) rectangles.
    rects: [Vec<(usize, usize, usize, usize)>; 4],
}

impl Glyphs {
    /// The shapes of cells of `s` CSS px at `sc` device px per CSS px.
    fn new(s: usize, sc: usize) -> Glyphs {
        let t = ((2 * s + 5) / 10).clamp(1, s); // stroke: a fifth of the cell, rounded
        let m = (s / 5).max(1).min(s / 2); // margin
        let inner = s.saturating_sub(2 * m);
        let (sd, td, md) = (s * sc, t * sc, m * sc);
        let mut rects: [Vec<(usize, usize, usize, usize)>; 4] = Default::default();
        // missing: a bar (−)
        rects[0].push((md, (s - t) / 2 * sc, inner * sc, td));
        // stale: a cross (×), as two staircases of squares
        for k in 0..inner.saturating_sub(t.saturating_sub(1)) {
            rects[1].push((md + k * sc, md + k * sc, td, td));
            rects[1].push((md + k * sc, sd - md - td - k * sc, td, td));
        }
        // different: two bars (=), and at 8 px or more the stroke of ≠
        let q = inner / 4;
        rects[2].push((md, md + q * sc, inner * sc, td));
        rects[2].push((md, sd - md - q * sc - td, inner * sc, td));
        if s >= 8 {
            for k in 0..inner {
                rects[2].push((sd - md - sc - k * sc, md + k * sc, sc, sc));
            }
        }
        // private: a dot in the middle
        let r = ((s + 2) / 4).clamp(1, s); // a quarter of the cell, rounded
        let o = (s - r) / 2 * sc;
        rects[3].push((o, o, r * sc, r * sc));
        // Clip every rectangle to the cell.
        for list in &mut rects {
            for (x, y, w, h) in list.iter_mut() {
                *x = (*x).min(sd);
                *y = (*y).min(sd);
                *w = (*w).min(sd - *x);
                *h = (*h).min(sd - *y);
            }
        }
        Glyphs { rects }
    }

    /// Draws the glyph of `class` (1 to 4) in `ink` at the cell whose top-left pixel is
    /// `origin` in an image `w` pixels wide.
    fn draw(&self, px: &mut [u32], w: usize, origin: usize, class: u8, ink: u32) {
        for &(x, y, rw, rh) in &self.rects[class as usize - 1] {
            for yy in y..y + rh {
                let o = origin + yy * w + x;
                px[o..o + rw].fill(ink);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A palette whose fill for (region, low bits) is `0xff00_0000 | region << 8 | low`,
    /// with a recognisable background, glyph inks and mark.
    fn palette() -> Vec<u32> {
        let mut p: Vec<u32> = (0..FILLS as u32)
            .map(|i| 0xff00_0000 | (i / 32) << 8 | (i % 32))
            .collect();
        p.push(0xffff_ffff); // background
        p.extend([0xff10_0001, 0xff10_0002, 0xff10_0003, 0xff10_0004]); // glyph inks
        p.push(0xff20_0000); // mark
        p
    }

    fn at(px: &[u32], w: usize, x: usize, y: usize) -> u32 {
        px[y * w + x]
    }

    #[test]
    fn size_counts_cells_gaps_and_scale() {
        let g = Grid {
            cols: 64,
            cell: 6,
            scale: 1,
        };
        assert_eq!(g.size(1536), (447, 167));
        assert_eq!(Grid { scale: 2, ..g }.size(1536), (894, 334));
        assert_eq!(g.size(65), (447, 13));
        assert_eq!(g.size(0), (447, 0));
    }

    #[test]
    fn cells_take_their_fill_and_gaps_the_background() {
        let mut px = Vec::new();
        let g = Grid {
            cols: 2,
            cell: 3,
            scale: 1,
        };
        // Slot 0: region 3 (vmalloc), a table in step; slot 1: region 2, empty; slot 2:
        // region 12, a huge leaf; slot 3 has a region but no cell byte.
        let (w, h) = paint(&mut px, g, &palette(), &[3, 2, 12, 1], &[1, 0, 2], &[]).unwrap();
        assert_eq!((w, h), (7, 7));
        assert_eq!(px.len(), 49);
        for y in 0..3 {
            for x in 0..3 {
                assert_eq!(at(&px, w, x, y), 0xff00_0301);
                assert_eq!(at(&px, w, 4 + x, y), 0xff00_0200);
                assert_eq!(at(&px, w, x, 4 + y), 0xff00_0c02);
                assert_eq!(at(&px, w, 4 + x, 4 + y), 0xffff_ffff);
            }
        }
        for y in 0..7 {
            assert_eq!(at(&px, w, 3, y), 0xffff_ffff, "the column gap at y {y}");
            assert_eq!(at(&px, w, y, 3), 0xffff_ffff, "the row gap at x {y}");
        }
    }

    #[test]
    fn a_drifted_cell_has_its_class_fill_and_glyph() {
        let mut px = Vec::new();
        let g = Grid {
            cols: 1,
            cell: 6,
            scale: 1,
        };
        for class in 1..=4u8 {
            let byte = 1 | class << 2;
            let (w, _) = paint(&mut px, g, &palette(), &[3], &[byte], &[]).unwrap();
            let fill = 0xff00_0300 | byte as u32;
            let ink = 0xff10_0000 | class as u32;
            let inked = px.iter().filter(|&&p| p == ink).count();
            assert!(inked > 0, "class {class} has a glyph");
            assert_eq!(inked + px.iter().filter(|&&p| p == fill).count(), 36);
            // The corners stay the fill: a glyph sits inside a margin.
            assert_eq!(at(&px, w, 0, 0), fill);
            assert_eq!(at(&px, w, 5, 5), fill);
        }
        // Missing is a horizontal bar: a full row of ink in the middle, nothing above it.
        paint(&mut px, g, &palette(), &[3], &[1 | 1 << 2], &[]).unwrap();
        let row = |y: usize| (0..6).filter(|&x| at(&px, 6, x, y) == 0xff10_0001).count();
        assert_eq!((row(1), row(2), row(3)), (0, 4, 0));
        // Stale is a cross: both diagonals inked.
        paint(&mut px, g, &palette(), &[3], &[1 | 2 << 2], &[]).unwrap();
        assert_eq!(at(&px, 6, 1, 1), 0xff10_0002);
        assert_eq!(at(&px, 6, 1, 4), 0xff10_0002);
        assert_eq!(at(&px, 6, 4, 4), 0xff10_0002);
    }

    #[test]
    fn same_cells_have_no_glyph() {
        let mut px = Vec::new();
        let g = Grid {
            cols: 4,
            cell: 6,
            scale: 2,
        };
        paint(&mut px, g, &palette(), &[2, 3, 4, 5], &[0, 1, 2, 1], &[]).unwrap();
        assert!(px
            .iter()
            .all(|&p| p >> 24 == 0xff && p & 0x00ff_0000 != 0x0010_0000));
    }

    #[test]
    fn a_changed_cell_has_a_corner_mark_and_out_of_range_slots_are_ignored() {
        let mut px = Vec::new();
        let g = Grid {
            cols: 2,
            cell: 6,
            scale: 1,
        };
        let (w, _) = paint(&mut px, g, &palette(), &[3, 3], &[1, 1], &[1, 7, u32::MAX]).unwrap();
        // Slot 1 starts at x 7: its top-left corner is marked, a triangle of edge 3.
        assert_eq!(at(&px, w, 7, 0), 0xff20_0000);
        assert_eq!(at(&px, w, 9, 0), 0xff20_0000);
        assert_eq!(at(&px, w, 7, 2), 0xff20_0000);
        assert_eq!(at(&px, w, 8, 2), 0xff00_0301);
        assert_eq!(at(&px, w, 12, 5), 0xff00_0301);
        // Slot 0 is not marked.
        assert_eq!(at(&px, w, 0, 0), 0xff00_0301);
        assert_eq!(px.iter().filter(|&&p| p == 0xff20_0000).count(), 6);
    }

    #[test]
    fn scale_doubles_every_shape() {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let g = Grid {
            cols: 3,
            cell: 6,
            scale: 1,
        };
        let regions = [3, 5, 7];
        let cells = [1 | 1 << 2, 2 | 4 << 2, 1 | 3 << 2];
        let (w, h) = paint(&mut a, g, &palette(), &regions, &cells, &[2]).unwrap();
        let (w2, h2) = paint(
            &mut b,
            Grid { scale: 2, ..g },
            &palette(),
            &regions,
            &cells,
            &[2],
        )
        .unwrap();
        assert_eq!((w2, h2), (2 * w, 2 * h));
        for y in 0..h2 {
            for x in 0..w2 {
                assert_eq!(at(&b, w2, x, y), at(&a, w, x / 2, y / 2), "at {x}, {y}");
            }
        }
    }

    #[test]
    fn every_cell_size_and_byte_paints_without_panicking() {
        let mut px = Vec::new();
        let regions: Vec<u8> = (0..=255).collect();
        let cells: Vec<u8> = (0..=255).rev().collect();
        for cell in 1..=MAX_CELL {
            for scale in 1..=2 {
                let g = Grid {
                    cols: 16,
                    cell,
                    scale,
                };
                let all: Vec<u32> = (0..300).collect();
                let (w, h) = paint(&mut px, g, &palette(), &regions, &cells, &all).unwrap();
                assert_eq!(px.len(), w * h);
            }
        }
    }

    #[test]
    fn bad_geometry_and_palettes_are_errors() {
        let mut px = Vec::new();
        let g = Grid {
            cols: 64,
            cell: 6,
            scale: 1,
        };
        let bad = |g: Grid, p: &[u32]| {
            let e = paint(&mut Vec::new(), g, p, &[0; 10], &[0; 10], &[]).unwrap_err();
            assert_eq!(e.kind, crate::ErrorKind::InvalidConfig);
        };
        bad(g, &palette()[1..]);
        bad(Grid { cols: 0, ..g }, &palette());
        bad(Grid { cell: 0, ..g }, &palette());
        bad(
            Grid {
                cell: MAX_CELL + 1,
                ..g
            },
            &palette(),
        );
        bad(Grid { scale: 0, ..g }, &palette());
        bad(
            Grid {
                scale: MAX_SCALE + 1,
                ..g
            },
            &palette(),
        );
        let e = paint(
            &mut px,
            Grid {
                cols: 1,
                cell: 64,
                scale: 4,
            },
            &palette(),
            &[0; 2000],
            &[],
            &[],
        );
        assert!(e.is_err(), "a grid past MAX_PIXELS");
        assert_eq!(
            paint(&mut px, g, &palette(), &[], &[], &[]).unwrap(),
            (447, 0)
        );
        assert!(px.is_empty());
    }
}
