//! Facts from docs/kernel-facts.md that the engine must reproduce exactly: the 32-bit worked
//! example, the 64-bit layouts, the email's 1272 estimate next to the exact count, and
//! the cost of pre-allocation.

use vmsync::config::{Config, Policy, Split, Strategy};
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
    // docs/kernel-facts.md §4: PAE, 3G split, usable RAM ending at 0x1FFE0000.
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
    // VMALLOC_TOTAL = VMALLOC_END - VMALLOC_START with the inclusive 64-bit VMALLOC_END:
    // the 34359738367 kB that /proc/meminfo prints on every 4-level x86-64.
    assert_eq!(l4.vmalloc_total_kb(), (32 << 30) - 1);
    assert_eq!(l4.vmalloc_total_kb(), 34_359_738_367);
    // KERNEL_PGD_BOUNDARY = pgd_index(PAGE_OFFSET): a fork clones 239 entries, never the
    // guard hole or the LDT slot 272.
    assert_eq!(l4.kernel_pgd_boundary(), 273);
    assert_eq!(l4.kernel_sync_slots(), 256);
    assert_eq!(l4.fixaddr_top, 0xffff_ffff_ff7f_f000);
    let l5 = Layout::new(&Config::new(Mode::La57));
    assert_eq!(l5.vmalloc_start, 0xffa0_0000_0000_0000);
    assert_eq!(l5.vmalloc_end, 0xffd1_ffff_ffff_ffff);
    assert_eq!(l5.vmalloc_slots(), 416..466);
    assert_eq!(l5.ldt_slot(), 272);
    assert_eq!(l5.kernel_pgd_boundary(), 273);
    // 12800 TiB less one byte, in kB: 13743895347199 kB on a 5-level kernel.
    assert_eq!(l5.vmalloc_total_kb(), 13_743_895_347_199);
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
        c.strategy = Policy::Strategy(Strategy::None);
        let plain = Machine::new(c.clone()).unwrap();
        c.strategy = Policy::Strategy(Strategy::Prealloc);
        let pre = Machine::new(c).unwrap();
        assert_eq!(pre.layout().prealloc_bytes(), bytes);
        assert_eq!(
            pre.kernel_table_bytes() - plain.kernel_table_bytes(),
            bytes,
            "{mode:?}"
        );
    }
}

/// docs/kernel-facts.md §8.5: the same workload under each 32-bit strategy. Every
/// process touches every page of every allocation, then everything is freed.
fn workload(strategy: &str) -> (vmsync::event::Metrics, usize) {
    use vmsync::script::{ConfigSpec, ScriptOp, Session};
    let spec = ConfigSpec {
        mode: "pae".into(),
        pti: Some(true),
        strategy: Some(strategy.into()),
        ..Default::default()
    };
    let mut s = Session::new(spec.to_config().unwrap()).unwrap();
    let procs = ["A", "B", "C", "D"];
    for p in procs {
        s.apply(ScriptOp::Fork { name: p.into() }).unwrap();
    }
    let populated = |s: &Session| {
        s.cells(None)
            .unwrap()
            .iter()
            .filter(|c| **c & 3 != 0)
            .count()
    };
    let before = populated(&s);
    for i in 0..5 {
        s.apply(ScriptOp::Allocate {
            name: format!("a{i}"),
            size: "0x1ff000".into(),
            preempt: false,
        })
        .unwrap();
    }
    let new_slots = populated(&s) - before;
    for i in 0..5 {
        for p in procs {
            for page in 0..0x1ff {
                s.apply(ScriptOp::Access {
                    process: p.into(),
                    addr: format!("a{i}+{:#x}", page * 4096),
                })
                .unwrap();
            }
        }
    }
    for i in 0..5 {
        s.apply(ScriptOp::Unmap {
            name: format!("a{i}"),
        })
        .unwrap();
    }
    (s.metrics(), new_slots)
}

#[test]
fn cost_comparison_on_one_workload() {
    let (none, new_slots) = workload("none");
    let (lazy, _) = workload("lazy");
    let (eager, _) = workload("eager");
    let (tracked, _) = workload("tracked");
    let procs = 4u64;
    assert!(new_slots >= 5, "{new_slots}");
    // No strategy: nothing copied, and the first access to each new slot oopses (every
    // later access to it oopses again).
    assert_eq!(none.entries_copied, 0);
    assert!(none.oopses >= procs * new_slots as u64);
    // Eager: one copy per process per new slot, no faults.
    assert_eq!(eager.entries_copied, procs * new_slots as u64);
    assert_eq!(eager.faults_fixed + eager.oopses, 0);
    // Lazy: the same copies, each paid for by a fault; no sync pass at all.
    assert_eq!(lazy.faults_fixed, eager.entries_copied);
    assert_eq!(lazy.entries_copied, lazy.faults_fixed);
    assert_eq!(lazy.directories_visited, 0);
    assert_eq!(lazy.oopses, 0);
    // Tracked: the same copies without faults, but each pass walks from the changed PMD
    // to VMALLOC_END in every page directory, so it visits far more than eager.
    assert_eq!(tracked.entries_copied, eager.entries_copied);
    assert_eq!(tracked.faults_fixed + tracked.oopses, 0);
    assert!(tracked.directories_visited > 10 * eager.directories_visited);
    // No strategy leaves anything stale here: vfree clears PTEs only.
    assert_eq!(
        lazy.stale_accesses + eager.stale_accesses + tracked.stale_accesses,
        0
    );
}

#[test]
fn process_page_table_memory_per_mode() {
    use vmsync::script::{ConfigSpec, ScriptOp, Session};
    // (mode, pti, strategy, bytes a process owns): the PGD (8 KiB with PTI's user copy),
    // and on PAE the preallocated PMD pages (pgd_prepopulate_pmd, pgd_prepopulate_user_pmd).
    for (mode, pti, strategy, bytes) in [
        ("x86-32", false, "tracked", 4096),
        ("pae", true, "tracked+fault", 8192 + 4 * 4096 + 4096),
        ("pae", false, "shared-pmd", 32 + 3 * 4096),
        ("pae", false, "tracked+fault", 4096 + 4 * 4096),
        ("x86-64", true, "prealloc", 8192),
        ("x86-64", false, "prealloc", 4096),
        ("la57", true, "prealloc", 8192),
    ] {
        let spec = ConfigSpec {
            mode: mode.into(),
            pti: Some(pti),
            strategy: Some(strategy.into()),
            ..Default::default()
        };
        let mut s = Session::new(spec.to_config().unwrap()).unwrap();
        s.apply(ScriptOp::Fork { name: "A".into() }).unwrap();
        assert_eq!(
            s.processes()[0].table_bytes,
            bytes,
            "{mode} pti={pti} {strategy}"
        );
    }
}

/// docs/kernel-facts.md §9: the PMD slots of a real Debian 12 686-pae kernel (512 MiB, PTI on),
/// one character per 2 MiB: `.` empty, `L` 2 MiB leaf, `T` PTE table. The model builds the
/// same reference at boot except where the real kernel has 4 KiB mappings for permission
/// changes inside the kernel image (the T's in the first row) and boot-time vmalloc
/// allocations (the third row): those rows are compared outside those spans.
#[test]
fn reference_matches_a_real_pae_kernel() {
    let real = [
        (
            0xc000_0000u64,
            "TLLLLLLLLLLLLLTTTLLLLLTLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL",
        ),
        (
            0xd800_0000,
            "LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLT",
        ),
        (
            0xe000_0000,
            "...TTT..........................................................",
        ),
        (
            0xf800_0000,
            "........................................................T.TTTTTT",
        ),
    ];
    let mut c = Config::new(Mode::Pae);
    c.ram = 0x1FFE_0000;
    let s = vmsync::script::Session::new(c).unwrap();
    let cells = s.cells(None).unwrap();
    let row = |va: u64| -> String {
        let first = ((va - 0xc000_0000) >> 21) as usize;
        cells[first..first + 64]
            .iter()
            .map(|c| match c & 3 {
                0 => '.',
                1 => 'T',
                _ => 'L',
            })
            .collect()
    };
    assert_eq!(row(0xd800_0000), real[1].1);
    assert_eq!(row(0xf800_0000), real[3].1);
    // Row c0000000: the first slot (4 KiB pages of the first MiB) and the large leaves
    // agree; slots 14-16 and 22 are the kernel image's 4 KiB permission splits.
    let model = row(0xc000_0000);
    for (i, (m, r)) in model.chars().zip(real[0].1.chars()).enumerate() {
        if ![14, 15, 16, 22].contains(&i) {
            assert_eq!(m, r, "slot {i} of row c0000000");
        }
    }
    // Row e0000000: outside the boot-time vmalloc tables (slots 3-5) it agrees.
    let model = row(0xe000_0000);
    for (i, (m, r)) in model.chars().zip(real[2].1.chars()).enumerate() {
        if !(3..6).contains(&i) {
            assert_eq!(m, r, "slot {i} of row e0000000");
        }
    }
}

/// An oops prints the walk as fault.c's dump_pagetable() does.
#[test]
fn oops_lines_follow_dump_pagetable() {
    use vmsync::machine::Value;
    use vmsync::script::Session;
    let oops = |text: &str| -> String {
        let mut s = Session::from_text(text).unwrap();
        let r = s
            .apply_json(r#"{"op":"access","process":"A","addr":"a"}"#)
            .unwrap();
        match r.value {
            Value::Access(a) => a.oops_dump.expect("an oops"),
            v => panic!("{v:?}"),
        }
    };
    let pae = oops("config mode=pae strategy=none\nfork A\nallocate a 4K\n");
    assert!(pae.starts_with("*pdpt = 00000000"), "{pae}");
    assert!(pae.ends_with("*pde = 0000000000000000"), "{pae}");
    let two =
        oops("config mode=x86-32 pti=off huge-ioremap=off strategy=none\nfork A\nallocate a 4K\n");
    assert_eq!(two, "*pde = 00000000");
    let four = oops("config mode=x86-64 strategy=none\nfork A\nallocate a 4K\n");
    assert_eq!(four, "PGD 0");
    let five = oops("config mode=la57 strategy=none pti=off\nfork A\nallocate a 4K\n");
    assert_eq!(five, "PGD 0");
}
