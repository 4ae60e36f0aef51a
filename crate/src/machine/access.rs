//! CPU accesses: the page walk, `vmalloc_fault()` and the oops line of `dump_pagetable()`.

use super::{present, Access, Machine, OpResult, Outcome, Value, WalkStep};
use crate::error::{err, Result};
use crate::event::{Event, Why};
use crate::memory::Pid;
use crate::mode::{Level, Mode};

impl Machine {
    pub(super) fn walk(
        &self,
        root: u64,
        va: u64,
    ) -> (Vec<WalkStep>, std::result::Result<u64, usize>) {
        let lv = self.cfg.mode.levels();
        let mut table = root;
        let mut steps = Vec::with_capacity(lv.len());
        for (d, g) in lv.iter().enumerate() {
            let index = g.index(va);
            let entry = self.mem.get(table, index);
            steps.push(WalkStep {
                level: g.level,
                table_pfn: table,
                index,
                entry,
            });
            if !present(entry) {
                return (steps, Err(d));
            }
            if self.is_leaf(d, entry) {
                let base = entry & self.cfg.mode.addr_mask() & !(g.span() - 1);
                return (steps, Ok(base + (va & (g.span() - 1))));
            }
            table = self.pfn_of(entry);
        }
        (steps, Err(lv.len() - 1))
    }

    fn check_kernel_va(&self, va: u64) -> Result<()> {
        let mode = self.cfg.mode;
        if !mode.is_canonical(va) {
            return Err(err!(
                BadAddress,
                "{va:#x} is not a canonical {}-bit address of {}",
                mode.va_bits(),
                mode.name()
            )
            .about(crate::error::Field::Addr));
        }
        if va < self.layout.kernel_start() {
            return Err(err!(
                BadAddress,
                "{va:#x} is in user space; vmsync models the kernel half, from {:#x}",
                self.layout.kernel_start()
            )
            .about(crate::error::Field::Addr));
        }
        Ok(())
    }

    /// A CPU access by `pid` to kernel address `va`, walking the process's own tables.
    ///
    /// # Errors
    /// `UnknownProcess`, `BadAddress` (not canonical, or in user space).
    pub fn access(&mut self, pid: Pid, va: u64) -> Result<OpResult> {
        self.check_pid(pid)?;
        self.check_kernel_va(va)?;
        let root = self.procs[&pid].pgd;
        let (mut walk, mut got) = self.walk(root, va);
        let mut fixed = false;
        if got.is_err() {
            if let Some(rule) = self.beh.fault.filter(|_| self.layout.in_vmalloc(va)) {
                // vmalloc_fault(): sync this one slot from the reference, by the era's rule.
                let slot = self.layout.slot_of(va);
                if self
                    .sync_dirs(&[(pid, root)], slot..slot + 1, rule, Why::Fault, false)
                    .0
                    > 0
                {
                    (walk, got) = self.walk(root, va);
                    fixed = got.is_ok();
                }
            }
            self.events.push(Event::Fault { pid, va, fixed });
        }
        let outcome = match got {
            Err(d) => {
                self.m.oopses += 1;
                Outcome::Oops {
                    level: self.cfg.mode.levels()[d].level,
                }
            }
            Ok(phys) => {
                let reference = self.walk(self.reference, va).1.ok();
                // A private slot (the LDT remap) is the process's own: nothing to compare.
                let private = self.is_private(self.layout.slot_of(va));
                if reference != Some(phys) && !private {
                    self.m.stale_accesses += 1;
                    Outcome::Stale { phys, reference }
                } else if fixed {
                    self.m.faults_fixed += 1;
                    Outcome::FaultFixed { phys }
                } else {
                    Outcome::Translated { phys }
                }
            }
        };
        let oops_dump = matches!(outcome, Outcome::Oops { .. }).then(|| self.dump_pagetable(&walk));
        Ok(self.finish(Value::Access(Access {
            pid,
            va,
            walk,
            outcome,
            oops_dump,
        })))
    }

    /// The oops line of `dump_pagetable()`: `*pdpt = .. *pde = .. *pte = ..` on PAE,
    /// `*pde = .. *pte = ..` on 2-level, `PGD .. P4D .. PUD .. PMD .. PTE ..` on 64-bit (the
    /// folded P4D repeats the PGD on 4-level). It stops after the first entry not present.
    fn dump_pagetable(&self, walk: &[WalkStep]) -> String {
        let mut parts = Vec::new();
        match self.cfg.mode {
            Mode::X86_32 => {
                for (st, name) in walk.iter().zip(["*pde", "*pte"]) {
                    parts.push(format!("{name} = {:08x}", st.entry));
                }
            }
            Mode::Pae => {
                for (st, name) in walk.iter().zip(["*pdpt", "*pde", "*pte"]) {
                    parts.push(format!("{name} = {:016x}", st.entry));
                }
            }
            Mode::X86_64 | Mode::La57 => {
                let mut entries: Vec<(&str, u64)> = Vec::new();
                for st in walk {
                    let name = match st.level {
                        Level::Pgd => "PGD",
                        Level::P4d => "P4D",
                        Level::Pud => "PUD",
                        Level::Pmd => "PMD",
                        Level::Pte => "PTE",
                    };
                    entries.push((name, st.entry));
                    if self.cfg.mode == Mode::X86_64 && st.level == Level::Pgd && present(st.entry)
                    {
                        entries.push(("P4D", st.entry));
                    }
                }
                for (name, e) in entries {
                    parts.push(format!("{name} {e:x}"));
                }
            }
        }
        parts.join(" ")
    }
}
