//! Facts from kernel-model.md that the engine must reproduce exactly: the 32-bit worked
//! example, the 64-bit layouts, the email's 1272 estimate next to the exact count, and
//! the cost of pre-allocation.

use vmsync::config::{Config, Split, Strategy};
use vmsync::{Layout, Machine, Mode};

fn pae(split: Split, ram: u64) -> Layout {
    let mut c = Config::new(Mode::Pae);
    c.split = Some(split);
    c.ram = ram;
    c.validate().unwrap();
    Layout::new(&c)
}

#[test]
fn pae_3g_worked_example() {
    // kernel-model.md §4: PAE, 3G split, usable RAM ending at 0x1FFE0000.
    let l = pae(Split::S3G, 0x1FFE_0000);
    assert_eq!(l.fixaddr_start, 0xFFDB_8000);
    assert_eq!(l.fixaddr_tot_start, 0xFF9F_E000);
    assert_eq!(l.cpu_entry_area_base, 0xFF40_0000);
    assert_eq!(l.ldt_base, 0xFF20_0000);
    assert_eq!(l.pkmap_base, Some(0xFF00_0000));
    assert_eq!(l.vmalloc_end, 0xFEFF_E000);
    assert_eq!(l.high_memory, 0xDFFE_0000);
    assert_eq!(l.vmalloc_start, 0xE07E_0000);
    let slots = l.vmalloc_slots();
    assert_eq!(slots.len(), 245);
    assert_eq!(l.slot_address(slots.start), 0xE060_0000);
    assert_eq!(l.slot_address(slots.end), 0xFF00_0000);
    assert_eq!(l.kernel_sync_slots(), 512);
}

#[test]
fn x86_64_layouts() {
    let l4 = Layout::new(&Config::new(Mode::X86_64));
    assert_eq!(l4.vmalloc_start, 0xffff_c900_0000_0000);
    assert_eq!(l4.vmalloc_end, 0xffff_e8ff_ffff_ffff);
    assert_eq!(l4.vmalloc_slots(), 402..466);
    assert_eq!(l4.ldt_slot(), 272);
    assert_eq!(l4.page_offset, 0xffff_8880_0000_0000);
    assert_eq!(l4.vmalloc_total_kb(), 32 << 30);
    assert_eq!(l4.kernel_sync_slots(), 256);
    assert_eq!(l4.fixaddr_top, 0xffff_ffff_ff7f_f000);
    let l5 = Layout::new(&Config::new(Mode::La57));
    assert_eq!(l5.vmalloc_start, 0xffa0_0000_0000_0000);
    assert_eq!(l5.vmalloc_end, 0xffd1_ffff_ffff_ffff);
    assert_eq!(l5.vmalloc_slots(), 416..466);
    assert_eq!(l5.ldt_slot(), 272);
}

#[test]
fn email_estimate_and_exact_count() {
    // Joerg's arithmetic for PAE with the 1G split and 512 MiB: 1536 kernel PMD entries,
    // minus 256 for the direct map, 4 for the 8 MiB hole and 4 for the end of the space.
    let l = pae(Split::S1G, 512 << 20);
    assert_eq!(l.kernel_sync_slots(), 1536);
    let direct = ((l.high_memory - l.page_offset) >> 21) as usize;
    let estimate = l.kernel_sync_slots() - direct - 4 - 4;
    assert_eq!(estimate, 1272);
    // The exact count for this build: VMALLOC_START = 0x60800000, VMALLOC_END = 0xFEFFE000.
    assert_eq!(l.vmalloc_start, 0x6080_0000);
    assert_eq!(l.vmalloc_slots().len(), 1268);
    assert_eq!(l.prealloc_bytes(), 1268 * 4096);
    assert!(l.prealloc_bytes() > 5_000_000);
}

#[test]
fn preallocation_costs_256k_and_200k() {
    for (mode, bytes) in [(Mode::X86_64, 256 << 10), (Mode::La57, 200 << 10)] {
        let mut c = Config::new(mode);
        c.strategy = Strategy::None;
        let plain = Machine::new(c.clone()).unwrap();
        c.strategy = Strategy::Prealloc;
        let pre = Machine::new(c).unwrap();
        assert_eq!(pre.layout().prealloc_bytes(), bytes);
        assert_eq!(
            pre.kernel_table_bytes() - plain.kernel_table_bytes(),
            bytes,
            "{mode:?}"
        );
    }
}
