//! Paging modes and their geometry: levels, index bits, entry sizes and entry bits.
//!
//! Sources: arch/x86/include/asm/pgtable-2level_types.h, pgtable-3level_types.h,
//! pgtable_64_types.h, pgtable_types.h.

use serde::Deserialize;

/// The size of a page and of a page-table page.
pub const PAGE_SIZE: u64 = 4096;
/// log2(PAGE_SIZE).
pub const PAGE_SHIFT: u32 = 12;

/// An x86 paging mode as Linux uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub enum Mode {
    /// 32-bit, 2-level (non-PAE): PGD and PTE, 1024 4-byte entries each; PMD folded into PGD.
    #[serde(rename = "x86-32")]
    X86_32,
    /// 32-bit PAE: 4-entry PGD (PDPT), 512-entry PMD and PTE tables, 8-byte entries.
    #[serde(rename = "pae")]
    Pae,
    /// x86-64 4-level: PGD, PUD, PMD, PTE (P4D folded), 512 8-byte entries each.
    #[serde(rename = "x86-64")]
    X86_64,
    /// x86-64 5-level (LA57): PGD, P4D, PUD, PMD, PTE.
    #[serde(rename = "la57")]
    La57,
}

/// The name of a page-table level, as the kernel names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Page global directory (the PDPT on PAE).
    Pgd,
    /// Fourth-level directory (5-level only).
    P4d,
    /// Page upper directory.
    Pud,
    /// Page middle directory.
    Pmd,
    /// Page table.
    Pte,
}

impl Level {
    /// The kernel's lower-case name ("pgd", "pmd", ...).
    pub fn name(self) -> &'static str {
        match self {
            Level::Pgd => "pgd",
            Level::P4d => "p4d",
            Level::Pud => "pud",
            Level::Pmd => "pmd",
            Level::Pte => "pte",
        }
    }
}

/// One hardware level of a mode: which level it is, the shift of the address bits it
/// indexes, and how many index bits it uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelGeom {
    /// The level's name.
    pub level: Level,
    /// The shift of the lowest address bit this level indexes.
    pub shift: u32,
    /// How many index bits (log2 of the entries per table).
    pub bits: u32,
}

impl LevelGeom {
    /// Entries in one table of this level.
    pub fn entries(self) -> usize {
        1 << self.bits
    }
    /// Bytes of address space one entry of this level covers.
    pub fn span(self) -> u64 {
        1u64 << self.shift
    }
    /// The index of `va` in a table of this level.
    pub fn index(self, va: u64) -> usize {
        ((va >> self.shift) & ((1u64 << self.bits) - 1)) as usize
    }
}

const fn g(level: Level, shift: u32, bits: u32) -> LevelGeom {
    LevelGeom { level, shift, bits }
}

const LEVELS_2L: [LevelGeom; 2] = [g(Level::Pgd, 22, 10), g(Level::Pte, 12, 10)];
const LEVELS_PAE: [LevelGeom; 3] = [
    g(Level::Pgd, 30, 2),
    g(Level::Pmd, 21, 9),
    g(Level::Pte, 12, 9),
];
const LEVELS_4L: [LevelGeom; 4] = [
    g(Level::Pgd, 39, 9),
    g(Level::Pud, 30, 9),
    g(Level::Pmd, 21, 9),
    g(Level::Pte, 12, 9),
];
const LEVELS_5L: [LevelGeom; 5] = [
    g(Level::Pgd, 48, 9),
    g(Level::P4d, 39, 9),
    g(Level::Pud, 30, 9),
    g(Level::Pmd, 21, 9),
    g(Level::Pte, 12, 9),
];

/// Entry bits (arch/x86/include/asm/pgtable_types.h).
pub mod bits {
    /// `_PAGE_PRESENT`.
    pub const PRESENT: u64 = 1 << 0;
    /// `_PAGE_RW`.
    pub const RW: u64 = 1 << 1;
    /// `_PAGE_USER`.
    pub const USER: u64 = 1 << 2;
    /// `_PAGE_PWT`.
    pub const PWT: u64 = 1 << 3;
    /// `_PAGE_PCD`.
    pub const PCD: u64 = 1 << 4;
    /// `_PAGE_ACCESSED`.
    pub const ACCESSED: u64 = 1 << 5;
    /// `_PAGE_DIRTY`.
    pub const DIRTY: u64 = 1 << 6;
    /// `_PAGE_PSE`: a large leaf at a directory level (PAT in a PTE).
    pub const PSE: u64 = 1 << 7;
    /// `_PAGE_GLOBAL`.
    pub const GLOBAL: u64 = 1 << 8;
    /// `_PAGE_NX` (PAE and 64-bit only).
    pub const NX: u64 = 1 << 63;
    /// `_KERNPG_TABLE`: an entry that points to a kernel page table.
    pub const KERNPG_TABLE: u64 = PRESENT | RW | ACCESSED | DIRTY;
    /// `__PAGE_KERNEL` without NX: a kernel data page.
    pub const PAGE_KERNEL: u64 = PRESENT | RW | ACCESSED | DIRTY | GLOBAL;
    /// `__PAGE_KERNEL_NOCACHE` without NX: what `ioremap()` maps (UC-, PCD set).
    pub const PAGE_KERNEL_IO: u64 = PAGE_KERNEL | PCD;
}

impl Mode {
    /// Every mode, in the order the UI lists them.
    pub const ALL: [Mode; 4] = [Mode::X86_32, Mode::Pae, Mode::X86_64, Mode::La57];

    /// The mode as a menu says it.
    pub fn label(self) -> &'static str {
        match self {
            Mode::X86_32 => "x86-32, 2-level (non-PAE)",
            Mode::Pae => "x86-32 PAE",
            Mode::X86_64 => "x86-64, 4-level",
            Mode::La57 => "x86-64, 5-level (LA57)",
        }
    }

    /// The command-line and scenario name of the mode.
    pub fn name(self) -> &'static str {
        match self {
            Mode::X86_32 => "x86-32",
            Mode::Pae => "pae",
            Mode::X86_64 => "x86-64",
            Mode::La57 => "la57",
        }
    }

    /// Parses a mode name.
    pub fn parse(s: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.name() == s)
    }

    /// The hardware levels, top first.
    pub fn levels(self) -> &'static [LevelGeom] {
        match self {
            Mode::X86_32 => &LEVELS_2L,
            Mode::Pae => &LEVELS_PAE,
            Mode::X86_64 => &LEVELS_4L,
            Mode::La57 => &LEVELS_5L,
        }
    }

    /// Whether this is a 32-bit mode.
    pub fn is_32bit(self) -> bool {
        matches!(self, Mode::X86_32 | Mode::Pae)
    }

    /// Bytes per entry: 4 on 2-level, 8 otherwise.
    pub fn entry_bytes(self) -> u64 {
        if self == Mode::X86_32 {
            4
        } else {
            8
        }
    }

    /// The depth (index into [`Mode::levels`]) of the level whose kernel entries each
    /// process holds a copy of: PGD on 2-level and 64-bit, PMD on PAE.
    pub fn sync_depth(self) -> usize {
        if self == Mode::Pae {
            1
        } else {
            0
        }
    }

    /// The kernel's name of the `pgtbl_mod_mask` bit for this mode's sync level
    /// (include/linux/pgtable.h; the level is named by the software page-table level, so
    /// the 2-level PGD entry is a PMD and the 4-level PGD entry a P4D).
    pub fn sync_mask_bit(self) -> &'static str {
        match self {
            Mode::X86_32 | Mode::Pae => "PGTBL_PMD_MODIFIED",
            Mode::X86_64 => "PGTBL_P4D_MODIFIED",
            Mode::La57 => "PGTBL_PGD_MODIFIED",
        }
    }

    /// The geometry of the sync level.
    pub fn sync_geom(self) -> LevelGeom {
        self.levels()[self.sync_depth()]
    }

    /// Bits of virtual address: 32, 48 or 57.
    pub fn va_bits(self) -> u32 {
        match self {
            Mode::X86_32 | Mode::Pae => 32,
            Mode::X86_64 => 48,
            Mode::La57 => 57,
        }
    }

    /// Physical address bits the entry format can hold (`__PHYSICAL_MASK_SHIFT`).
    pub fn phys_bits(self) -> u32 {
        match self {
            Mode::X86_32 => 32,
            Mode::Pae => 44,
            Mode::X86_64 | Mode::La57 => 52,
        }
    }

    /// Mask of the physical address bits in an entry.
    pub fn addr_mask(self) -> u64 {
        ((1u64 << self.phys_bits()) - 1) & !(PAGE_SIZE - 1)
    }

    /// Whether `va` is a valid (canonical) address of this mode.
    pub fn is_canonical(self, va: u64) -> bool {
        if self.is_32bit() {
            return va <= u32::MAX as u64;
        }
        self.sign_extend(va) == va
    }

    /// `va` sign-extended from the mode's virtual-address width, as the hardware requires
    /// of 64-bit addresses (unchanged on 32-bit).
    pub fn sign_extend(self, va: u64) -> u64 {
        if self.is_32bit() {
            return va;
        }
        let shift = 64 - self.va_bits();
        (((va << shift) as i64) >> shift) as u64
    }

    /// Whether entry `e` at `depth` maps memory itself rather than a lower table: the last
    /// level, or a huge page (`_PAGE_PSE`) at a level that allows one.
    pub fn is_leaf(self, depth: usize, e: u64) -> bool {
        depth == self.levels().len() - 1
            || (e & bits::PSE != 0 && self.huge_levels().contains(&depth))
    }

    /// The leaf levels a huge mapping may use (2 MiB/4 MiB PMD, 1 GiB PUD), largest first.
    pub fn huge_levels(self) -> &'static [usize] {
        match self {
            Mode::X86_32 => &[0],
            Mode::Pae => &[1],
            Mode::X86_64 => &[1, 2],
            Mode::La57 => &[2, 3],
        }
    }

    /// Whether the entry format has the NX bit.
    pub fn has_nx(self) -> bool {
        self != Mode::X86_32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_match_the_kernel() {
        assert_eq!(Mode::X86_32.sync_geom().span(), 4 << 20);
        assert_eq!(Mode::Pae.sync_geom().span(), 2 << 20);
        assert_eq!(Mode::X86_64.sync_geom().span(), 512 << 30);
        assert_eq!(Mode::La57.sync_geom().span(), 256 << 40);
    }

    #[test]
    fn canonical_addresses() {
        assert!(Mode::X86_64.is_canonical(0xffffc90000000000));
        assert!(!Mode::X86_64.is_canonical(0xff00000000000000));
        assert!(Mode::La57.is_canonical(0xff00000000000000));
        assert!(!Mode::Pae.is_canonical(0x1_0000_0000));
    }
}
