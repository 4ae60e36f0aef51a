//! Page tables printed in the kernel's ptdump format (arch/x86/mm/dump_pagetables.c):
//! section markers `---[ name ]---`, and one line per run of entries with the same flags
//! at the same level: `0x%0*lx-0x%0*lx   %9lu%c flags level`, sizes scaled by 1024 while
//! they divide evenly (B K M G T P E), unmapped runs printed with blank flags.

use crate::layout::{self, Layout};
use crate::machine::Machine;
use crate::mode::{bits, Mode, PAGE_SHIFT};
use std::fmt::Write;

/// ptdump's address markers for the layout, in address order.
pub fn markers(l: &Layout) -> Vec<(u64, &'static str)> {
    let mut v = if l.mode.is_32bit() {
        vec![
            (0, "User Space"),
            (l.page_offset, "Kernel Mapping"),
            (l.vmalloc_start, "vmalloc() Area"),
            (l.vmalloc_end, "vmalloc() End"),
            (l.pkmap_base.unwrap_or(0), "Persistent kmap() Area"),
            (l.ldt_base, "LDT remap"),
            (l.cpu_entry_area_base, "CPU entry area"),
            (l.fixaddr_start, "Fixmap area"),
        ]
    } else {
        vec![
            (0, "User Space"),
            (1 << 63, "Kernel Space"),
            (l.ldt_base, "LDT remap"),
            (l.page_offset, "Low Kernel Mapping"),
            (l.vmalloc_start, "vmalloc() Area"),
            (l.vmemmap_base.unwrap_or(0), "Vmemmap"),
            (l.cpu_entry_area_base, "CPU entry Area"),
            (layout::ESPFIX_BASE, "ESPfix Area"),
            (layout::EFI_VA_END, "EFI Runtime Services"),
            (layout::START_KERNEL_MAP, "High Kernel Mapping"),
            (layout::MODULES_VADDR, "Modules"),
            (layout::MODULES_END, "End Modules"),
            (l.fixaddr_start, "Fixmap Area"),
        ]
    };
    v.sort_by_key(|m| m.0);
    v
}

/// The flag columns ptdump prints for an entry (`printk_prot`).
pub fn flags(mode: Mode, entry: u64, huge: bool) -> String {
    if entry & bits::PRESENT == 0 {
        return " ".repeat(30);
    }
    let f = |bit: u64, on: &str, off: &str| {
        if entry & bit != 0 {
            on.to_string()
        } else {
            off.to_string()
        }
    };
    let nx = if mode.has_nx() {
        f(bits::NX, "NX ", "x  ")
    } else {
        "x  ".to_string()
    };
    [
        f(bits::USER, "USR ", "    "),
        f(bits::RW, "RW ", "ro "),
        f(bits::PWT, "PWT ", "    "),
        f(bits::PCD, "PCD ", "    "),
        if huge {
            f(bits::PSE, "PSE ", "    ")
        } else {
            "    ".into()
        },
        "    ".into(),
        f(bits::GLOBAL, "GLB ", "    "),
        nx,
    ]
    .concat()
}

struct Run {
    start: u64,
    prot: u64,
    level: &'static str,
    huge: bool,
}

struct Printer<'a> {
    mode: Mode,
    out: String,
    run: Option<Run>,
    markers: &'a [(u64, &'static str)],
    next_marker: usize,
}

impl Printer<'_> {
    fn line(&mut self, r: &Run, end: u64) {
        let w = if self.mode.is_32bit() { 8 } else { 16 };
        let mut delta = end.wrapping_sub(r.start);
        let units = b"BKMGTPE";
        let mut u = 0;
        while delta != 0 && delta & 1023 == 0 && u + 1 < units.len() {
            delta >>= 10;
            u += 1;
        }
        if delta == 0 {
            // The whole 64-bit space: 16 EiB does not fit; print as the kernel would wrap.
            delta = 16;
            u = 6;
        }
        let _ = writeln!(
            self.out,
            "0x{:0w$x}-0x{:0w$x}   {:>9}{} {}{}",
            r.start,
            end,
            delta,
            units[u] as char,
            flags(self.mode, r.prot, r.huge),
            r.level,
        );
    }

    /// Adds `[va, va+size)` with entry flags `prot` at `level`.
    fn note(&mut self, va: u64, prot: u64, level: &'static str, huge: bool) {
        let crosses =
            self.next_marker < self.markers.len() && va >= self.markers[self.next_marker].0;
        let same = self
            .run
            .as_ref()
            .is_some_and(|r| r.prot == prot && r.level == level && !crosses);
        if same {
            return;
        }
        if let Some(r) = self.run.take() {
            self.line(&r, va);
        }
        while self.next_marker < self.markers.len() && va >= self.markers[self.next_marker].0 {
            let _ = writeln!(self.out, "---[ {} ]---", self.markers[self.next_marker].1);
            self.next_marker += 1;
        }
        self.run = Some(Run {
            start: va,
            prot,
            level,
            huge,
        });
    }
}

impl Machine {
    /// The ptdump text of `[start, end)` (end 0 meaning the top of the address space)
    /// as `pid`'s tables map it (`None` for the reference).
    pub fn ptdump(&self, pid: Option<u32>, start: u64, end: u64) -> Option<String> {
        let root = match pid {
            None => self.reference_root(),
            Some(p) => self.process_root(p)?,
        };
        let l = self.layout();
        let marks: Vec<(u64, &'static str)> =
            markers(l).into_iter().filter(|m| m.0 >= start).collect();
        // The marker in force at `start` is printed first.
        let mut first: Vec<(u64, &'static str)> = markers(l)
            .into_iter()
            .rfind(|m| m.0 <= start)
            .map(|m| vec![(start, m.1)])
            .unwrap_or_default();
        first.extend(marks.into_iter().filter(|m| m.0 > start));
        let mut p = Printer {
            mode: l.mode,
            out: String::new(),
            run: None,
            markers: &first,
            next_marker: 0,
        };
        self.dump_table(&mut p, root, 0, 0, start, end.wrapping_sub(1));
        if let Some(r) = p.run.take() {
            p.line(&r, end);
        }
        Some(p.out)
    }

    fn dump_table(&self, p: &mut Printer, table: u64, depth: usize, base: u64, lo: u64, hi: u64) {
        let mode = self.config().mode;
        let lv = mode.levels();
        let g = lv[depth];
        let mask = mode.addr_mask();
        for i in 0..g.entries() {
            let va = mode.sign_extend(base | ((i as u64) << g.shift));
            let last = va.wrapping_add(g.span() - 1);
            if last < lo || va > hi {
                continue;
            }
            let e = self.memory().get(table, i);
            let leaf = mode.is_leaf(depth, e);
            if e & bits::PRESENT == 0 || leaf {
                let from = va.max(lo);
                p.note(
                    from,
                    e & !mask,
                    g.level.name(),
                    leaf && depth < lv.len() - 1,
                );
            } else {
                self.dump_table(p, (e & mask) >> PAGE_SHIFT, depth + 1, va, lo, hi);
            }
        }
    }
}
