//! Configuration of a simulated machine: paging mode, memory split, RAM, `vmalloc=`, PTI,
//! the build's fixmap and cpu-entry-area constants, huge ioremap, and the sync strategy.
//!
//! [`Config::validate`] refuses what the kernel cannot be built or booted with.

use crate::era::Behaviour;
use crate::error::{err, Result};
use crate::limits::excerpt;
use crate::mode::{Mode, PAGE_SIZE};

/// The largest NR_CPUS a 32-bit and a 64-bit configuration take ([`Config::validate`];
/// the JSON reader's message says the same ranges).
pub(crate) const NR_CPUS_MAX_32: u32 = 64;
pub(crate) const NR_CPUS_MAX_64: u32 = 8192;

/// The 32-bit user/kernel split (`CONFIG_VMSPLIT_*`), which fixes `PAGE_OFFSET`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub enum Split {
    /// `PAGE_OFFSET = 0xC0000000`.
    #[cfg_attr(test, serde(rename = "3G"))]
    S3G,
    /// `PAGE_OFFSET = 0xB0000000` (non-PAE only).
    #[cfg_attr(test, serde(rename = "3G_OPT"))]
    S3GOpt,
    /// `PAGE_OFFSET = 0x80000000`.
    #[cfg_attr(test, serde(rename = "2G"))]
    S2G,
    /// `PAGE_OFFSET = 0x78000000` (non-PAE only).
    #[cfg_attr(test, serde(rename = "2G_OPT"))]
    S2GOpt,
    /// `PAGE_OFFSET = 0x40000000`.
    #[cfg_attr(test, serde(rename = "1G"))]
    S1G,
}

impl Split {
    /// Every split.
    pub const ALL: [Split; 5] = [
        Split::S3G,
        Split::S3GOpt,
        Split::S2G,
        Split::S2GOpt,
        Split::S1G,
    ];

    /// The option's name as `CONFIG_VMSPLIT_<name>` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Split::S3G => "3G",
            Split::S3GOpt => "3G_OPT",
            Split::S2G => "2G",
            Split::S2GOpt => "2G_OPT",
            Split::S1G => "1G",
        }
    }

    /// Parses a split name.
    pub fn parse(s: &str) -> Option<Split> {
        Split::ALL.into_iter().find(|x| x.name() == s)
    }

    /// `PAGE_OFFSET` for this split (arch/x86/Kconfig, `PAGE_OFFSET`).
    pub fn page_offset(self) -> u64 {
        match self {
            Split::S3G => 0xC000_0000,
            Split::S3GOpt => 0xB000_0000,
            Split::S2G => 0x8000_0000,
            Split::S2GOpt => 0x7800_0000,
            Split::S1G => 0x4000_0000,
        }
    }
}

pub use crate::era::{Era, Policy, Strategy};

/// Parses a building block's name or `era:<release>` ([`Policy::parse`]).
///
/// # Errors
/// `InvalidConfig` naming what is allowed.
pub fn parse_strategy(s: &str) -> Result<Policy> {
    Policy::parse(s)
}

/// Build constants that differ between kernel builds. The default is Debian 12's 6.1
/// build (i386 measured from the running kernel, see docs/kernel-facts.md §4).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Preset {
    /// `NR_CPUS`.
    pub nr_cpus: u32,
    /// Pages of `struct cpu_entry_area` per CPU (43 on Debian's i386 6.1).
    pub cea_pages_per_cpu: u64,
    /// 32-bit permanent fixmap pages that do not scale with `NR_CPUS`.
    pub fixmap_fixed_pages: u64,
    /// 32-bit permanent fixmap pages per CPU: `KM_MAX_IDX` (16) kmap_local slots plus one
    /// GDT remap page (arch/x86/include/asm/fixmap.h, include/asm-generic/kmap_size.h).
    pub fixmap_pages_per_cpu: u64,
    /// 32-bit fixmap pages after the early-ioremap slots (`FIX_TBOOT_BASE` with INTEL_TXT).
    pub fixmap_pages_after_btmaps: u64,
    /// 64-bit permanent fixmap pages (`__end_of_permanent_fixed_addresses`).
    pub fixmap64_pages: u64,
}

impl Preset {
    /// Debian 12, kernel 6.1. On i386 (NR_CPUS=32) the running kernel gives
    /// `permanent_fixmap_pages = 583`, `total_fixmap_pages = 1537` and
    /// `CPU_ENTRY_AREA_PAGES = 1376`; 583 = 39 + 17 × 32.
    pub fn debian12() -> Preset {
        Preset {
            nr_cpus: 32,
            cea_pages_per_cpu: 43,
            fixmap_fixed_pages: 39,
            fixmap_pages_per_cpu: 17,
            fixmap_pages_after_btmaps: 1,
            fixmap64_pages: FIXMAP64_PAGES_DEBIAN12,
        }
    }
}

/// 64-bit permanent fixmap pages of Debian 12's amd64 6.1 build, counted from the 6.1
/// `enum fixed_addresses` (arch/x86/include/asm/fixmap.h) with Debian's options:
/// 511 unused slots above `VSYSCALL_PAGE` (index 511), `FIX_DBGP_BASE`,
/// `FIX_EARLYCON_MEM_BASE`, `FIX_APIC_BASE`, 128 `FIX_IO_APIC_BASE_*` (`MAX_IO_APICS`),
/// `FIX_PARAVIRT_BOOTMAP` (PARAVIRT_XXL via XEN_PV), `FIX_APEI_GHES_IRQ`/`_NMI`
/// (PROVIDE_OHCI1394_DMA_INIT is off): 646, so `FIXADDR_START = 0xffffffffff579000`.
pub const FIXMAP64_PAGES_DEBIAN12: u64 = 646;

/// The default top of usable RAM: the reference machine of docs/kernel-facts.md §4, 512 MiB
/// whose firmware reserves the last 128 KiB.
pub const DEFAULT_RAM: u64 = 0x1FFE_0000;

/// A complete machine configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Config {
    /// The paging mode.
    pub mode: Mode,
    /// The user/kernel split (32-bit only; `None` means the default, 3G).
    pub split: Option<Split>,
    /// The top of usable RAM, in bytes.
    pub ram: u64,
    /// The `vmalloc=` boot option (32-bit only): `__VMALLOC_RESERVE = X + 8 MiB`.
    pub vmalloc: Option<u64>,
    /// Page-table isolation.
    pub pti: bool,
    /// Whether `ioremap()` may use huge leaves (`HAVE_ARCH_HUGE_VMAP`, not `nohugeiomap`).
    pub huge_ioremap: bool,
    /// The sync strategy: a kernel era or a building block.
    pub strategy: Policy,
    /// Build constants.
    pub preset: Preset,
}

impl Config {
    /// The default configuration for `mode`: Debian 12's build on the reference machine,
    /// PTI on, huge ioremap where the mode has it, and the era of 6.1 (5.9 – 6.15).
    pub fn new(mode: Mode) -> Config {
        Config {
            mode,
            split: None,
            ram: DEFAULT_RAM,
            vmalloc: None,
            pti: mode != Mode::X86_32,
            huge_ioremap: mode != Mode::X86_32,
            strategy: Policy::Era(Era::V5_9),
            preset: Preset::debian12(),
        }
    }

    /// The split in force (3G when unset).
    pub fn split(&self) -> Split {
        self.split.unwrap_or(Split::S3G)
    }

    /// The highest RAM top the mode can address: 4 GiB without PAE, 64 GiB with PAE
    /// (`HIGHMEM64G`), 64 TiB on 4-level and 4 PiB on 5-level (`MAX_PHYSMEM_BITS` 46/52).
    pub fn max_ram(mode: Mode) -> u64 {
        match mode {
            Mode::X86_32 => 4 << 30,
            Mode::Pae => 64 << 30,
            Mode::X86_64 => 1 << 46,
            Mode::La57 => 1 << 52,
        }
    }

    /// What the strategy does in this mode with this PTI setting: the one table of
    /// kernel behaviours ([`crate::era`]).
    pub fn behaviour(&self) -> Behaviour {
        self.strategy.behaviour(self.mode, self.pti)
    }

    /// Whether kernel PMDs are private per process (PAE only): PAE in every strategy and
    /// era that does not share the reference's kernel PMDs.
    pub fn private_kernel_pmds(&self) -> bool {
        self.mode == Mode::Pae && !self.behaviour().shared_kernel_pmds
    }

    /// Checks that the kernel could be built and booted like this.
    ///
    /// # Errors
    /// `InvalidConfig` naming the offending setting and what is allowed.
    pub fn validate(&self) -> Result<()> {
        let m = self.mode;
        if let Some(split) = self.split {
            if !m.is_32bit() {
                return Err(err!(
                    InvalidConfig,
                    "the memory split is a 32-bit option; {} has a fixed layout",
                    m.name()
                )
                .about(crate::error::Field::Split));
            }
            if m == Mode::Pae && matches!(split, Split::S3GOpt | Split::S2GOpt) {
                return Err(err!(
                    InvalidConfig,
                    "split {} needs PAE off (arch/x86/Kconfig: VMSPLIT_{} depends on !X86_PAE); with PAE use 3G, 2G or 1G",
                    split.name(),
                    split.name()
                ).about(crate::error::Field::Split));
            }
        }
        let min_ram = 64 << 20;
        if self.ram < min_ram || self.ram > Config::max_ram(m) {
            return Err(err!(
                InvalidConfig,
                "RAM {:#x} is out of range for {}: allowed {:#x} (64 MiB) to {:#x}",
                self.ram,
                m.name(),
                min_ram,
                Config::max_ram(m)
            )
            .about(crate::error::Field::Ram));
        }
        if !self.ram.is_multiple_of(PAGE_SIZE) {
            return Err(err!(
                InvalidConfig,
                "RAM {:#x} is not a whole number of 4 KiB pages",
                self.ram
            )
            .about(crate::error::Field::Ram));
        }
        if self.vmalloc.is_some() && !m.is_32bit() {
            return Err(err!(
                InvalidConfig,
                "vmalloc= is a 32-bit boot option; {} has a fixed vmalloc area",
                m.name()
            )
            .about(crate::error::Field::Vmalloc));
        }
        if self.pti && m == Mode::X86_32 {
            return Err(err!(
                InvalidConfig,
                "PTI needs PAE or 64-bit (PAGE_TABLE_ISOLATION depends on X86_64 || X86_PAE); turn PTI off or use pae"
            ).about(crate::error::Field::Pti));
        }
        if self.huge_ioremap && m == Mode::X86_32 {
            return Err(err!(
                InvalidConfig,
                "huge ioremap needs PAE or 64-bit (HAVE_ARCH_HUGE_VMAP is selected if X86_64 || X86_PAE)"
            ).about(crate::error::Field::HugeIoremap));
        }
        let cpus_max = if m.is_32bit() {
            NR_CPUS_MAX_32
        } else {
            NR_CPUS_MAX_64
        };
        if self.preset.nr_cpus == 0 || self.preset.nr_cpus > cpus_max {
            return Err(err!(
                InvalidConfig,
                "NR_CPUS {} is out of range for {}: allowed 1 to {cpus_max}",
                self.preset.nr_cpus,
                m.name()
            )
            .about(crate::error::Field::NrCpus));
        }
        if m.is_32bit() {
            let l = crate::layout::Layout::new(self);
            let maxmem = l.maxmem.unwrap_or(0);
            if maxmem < 64 << 20 {
                return Err(err!(
                    InvalidConfig,
                    "vmalloc={:#x} leaves MAXMEM = {maxmem:#x} of lowmem; the kernel needs at least 64 MiB of direct-mapped RAM to boot: ask for a smaller vmalloc= reserve",
                    self.vmalloc.unwrap_or(0)
                ).about(crate::error::Field::Vmalloc));
            }
        }
        if let Policy::Strategy(s) = self.strategy {
            if let Some(why) = s.unfit(m, self.pti) {
                return Err(err!(
                    InvalidConfig,
                    "strategy {} is not valid for {}{}: {why}",
                    s.name(),
                    m.name(),
                    if self.pti { " with PTI" } else { "" }
                )
                .about(crate::error::Field::Strategy));
            }
        }
        Ok(())
    }
}

/// Parses a size: decimal bytes, `0x` hex bytes, or a number with a K, M, G, T or P suffix
/// (binary units, as the kernel's `memparse()`).
///
/// # Errors
/// `BadSize` when the text is not such a number or the value overflows 64 bits.
pub fn parse_size(text: &str) -> Result<u64> {
    let t = text.trim();
    let bad = || {
        err!(
            BadSize,
            "'{text}' is not a size; use bytes (4096), hex (0x1000) or a K/M/G/T/P suffix (4K, 2M)",
            text = excerpt(text)
        )
    };
    if t.is_empty() {
        return Err(bad());
    }
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return u64::from_str_radix(hex, 16).map_err(|_| bad());
    }
    let shift = match t.as_bytes()[t.len() - 1].to_ascii_uppercase() {
        b'K' => 10,
        b'M' => 20,
        b'G' => 30,
        b'T' => 40,
        b'P' => 50,
        _ => 0,
    };
    // A suffix is one ASCII byte, so the cut before it is a character boundary; `get`
    // says so without `&t[..]`'s panic path (its message and `char` printing, in wasm).
    let digits = if shift == 0 {
        Some(t)
    } else {
        t.get(..t.len() - 1)
    };
    let n: u64 = digits.and_then(|d| d.parse().ok()).ok_or_else(bad)?;
    n.checked_mul(1u64 << shift)
        .ok_or_else(|| err!(BadSize, "'{text}' overflows 64 bits", text = excerpt(text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("4096").unwrap(), 4096);
        assert_eq!(parse_size("0x1000").unwrap(), 4096);
        assert_eq!(parse_size("2M").unwrap(), 2 << 20);
        assert_eq!(parse_size("512m").unwrap(), 512 << 20);
        assert_eq!(parse_size("16P").unwrap(), 16 << 50);
        assert!(parse_size("").is_err());
        assert!(parse_size("12Q").is_err());
        assert!(parse_size("99999999999P").is_err());
        assert!(parse_size("0x").is_err());
    }
}
