//! The grids' pixels ([`crate::paint`]) for the page: one `Painter` with one pixel buffer,
//! shared by every grid, that paints a table's cells in the page's palette.

use crate::paint::{paint, Grid};
use wasm_bindgen::prelude::*;

/// Paints slot grids; its pixel buffer is reused from one grid to the next.
#[wasm_bindgen]
pub struct Painter {
    px: Vec<u32>,
    width: usize,
    height: usize,
}

impl Default for Painter {
    fn default() -> Self {
        Painter::new()
    }
}

#[wasm_bindgen]
impl Painter {
    /// A painter with an empty buffer.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Painter {
        Painter {
            px: Vec::new(),
            width: 0,
            height: 0,
        }
    }

    /// Width in device pixels of the last grid painted.
    #[wasm_bindgen(getter)]
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in device pixels of the last grid painted.
    #[wasm_bindgen(getter)]
    pub fn height(&self) -> usize {
        self.height
    }

    /// Paints a grid (see [`crate::paint::paint`]) and returns its RGBA bytes, `width` x
    /// `height` x 4, as a `Uint8Array` view valid until the next call on any handle (wasm memory may
    /// grow). Throws `InvalidConfig` for a bad geometry or palette.
    #[allow(clippy::too_many_arguments)]
    pub fn paint(
        &mut self,
        cols: u32,
        cell: u32,
        scale: u32,
        palette: &[u32],
        regions: &[u8],
        cells: &[u8],
        changed: &[u32],
    ) -> Result<js_sys::Uint8Array, JsValue> {
        let grid = Grid { cols, cell, scale };
        let (w, h) =
            paint(&mut self.px, grid, palette, regions, cells, changed).map_err(super::js_error)?;
        self.width = w;
        self.height = h;
        // SAFETY: a view of `px` without a copy: `px` is not touched again until the next
        // `paint`, and the contract above tells JavaScript to read it before its next call.
        let bytes = unsafe {
            core::slice::from_raw_parts(self.px.as_ptr().cast::<u8>(), self.px.len() * 4)
        };
        Ok(unsafe { js_sys::Uint8Array::view(bytes) })
    }

    /// Paints a grid (as `paint`) straight into a canvas context through an `ImageData`
    /// at (0, 0). Throws `InvalidConfig`, or what `putImageData` throws.
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = paintInto)]
    pub fn paint_into(
        &mut self,
        ctx: &web_sys::CanvasRenderingContext2d,
        cols: u32,
        cell: u32,
        scale: u32,
        palette: &[u32],
        regions: &[u8],
        cells: &[u8],
        changed: &[u32],
    ) -> Result<(), JsValue> {
        let grid = Grid { cols, cell, scale };
        let (w, h) =
            paint(&mut self.px, grid, palette, regions, cells, changed).map_err(super::js_error)?;
        self.width = w;
        self.height = h;
        if w == 0 || h == 0 {
            return Ok(());
        }
        // SAFETY: as in `paint`; the ImageData is made and put before this call returns.
        let bytes = unsafe {
            core::slice::from_raw_parts(self.px.as_ptr().cast::<u8>(), self.px.len() * 4)
        };
        let img = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
            wasm_bindgen::Clamped(bytes),
            w as u32,
            h as u32,
        )?;
        ctx.put_image_data(&img, 0.0, 0.0)
    }
}
