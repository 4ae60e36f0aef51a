//! What the page reads of a session, as JSON: the processes, a slot, the layout summary,
//! table bytes, and the configuration the state hash covers. An operation's result
//! (value, events, metrics) is written from its tree (`crate::tree`).

use super::{JsonOut, ToJson};
use crate::config::{Config, Preset};
use crate::error::Error;
use crate::machine::{DivergenceCounts, OpResult};
use crate::script::ScriptOp;
use crate::view::{LayoutInfo, ProcessInfo, RegionInfo, SlotInfo, StepResult, TableBytes};

/// One history entry: `{op, value, events, metrics}`. The CLI prints this text; the page
/// reads the same tree as a record (`crate::record`).
#[derive(Debug, Clone, Copy)]
pub struct HistoryStep<'a> {
    /// The operation.
    pub op: &'a ScriptOp,
    /// What it reported.
    pub result: &'a OpResult,
}

impl HistoryStep<'_> {
    /// The entry as JSON text, its buffer reserved once for the events it holds.
    pub fn text(&self) -> String {
        let mut out = JsonOut::with_capacity(320 + 176 * self.result.events.len());
        self.write_json(&mut out);
        out.finish()
    }
}

/// A live allocation as `allocations` lists it: `{name, value}`, `value` its address.
#[derive(Debug, Clone, Copy)]
pub struct Allocation<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its first address.
    pub value: u64,
}

impl ToJson for Allocation<'_> {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"name\":");
        out.str(self.name);
        out.raw(",\"value\":");
        out.addr(self.value);
        out.raw("}");
    }
}

impl ToJson for DivergenceCounts {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"same\":");
        out.u64(u64::from(self.same));
        out.raw(",\"missing\":");
        out.u64(u64::from(self.missing));
        out.raw(",\"stale\":");
        out.u64(u64::from(self.stale));
        out.raw(",\"different\":");
        out.u64(u64::from(self.different));
        out.raw(",\"private\":");
        out.u64(u64::from(self.private));
        out.raw("}");
    }
}

impl ToJson for ProcessInfo {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"name\":");
        out.str(&self.name);
        out.raw(",\"pid\":");
        out.u64(u64::from(self.pid));
        out.raw(",\"table_bytes\":");
        out.u64(self.table_bytes);
        out.raw(",\"divergence\":");
        self.divergence.write_json(out);
        out.raw("}");
    }
}

impl ToJson for SlotInfo {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"slot\":");
        out.u64(self.slot as u64);
        out.raw(",\"index\":");
        out.u64(self.index as u64);
        out.raw(",\"va\":");
        out.addr(self.va);
        out.raw(",\"last\":");
        out.addr(self.last);
        out.raw(",\"region\":");
        out.str(&self.region);
        out.raw(",\"level\":");
        out.str(&self.level);
        out.raw(",\"raw\":");
        out.addr(self.raw);
        out.raw(",\"reference_raw\":");
        out.addr(self.reference_raw);
        out.raw(",\"present\":");
        out.bool(self.present);
        out.raw(",\"kind\":");
        out.str(&self.kind);
        out.raw(",\"flags\":");
        out.strs(&self.flags);
        out.raw(",\"target\":");
        out.opt_addr(self.target);
        out.raw(",\"divergence\":");
        out.str(&self.divergence);
        out.raw("}");
    }
}

impl ToJson for LayoutInfo {
    fn write_json(&self, out: &mut JsonOut) {
        let opt = |out: &mut JsonOut, key: &str, v: &Option<String>| {
            if let Some(s) = v {
                out.raw(key);
                out.str(s);
            }
        };
        out.raw("{\"mode\":");
        out.str(&self.mode);
        out.raw(",\"page_offset\":");
        out.str(&self.page_offset);
        out.raw(",\"high_memory\":");
        out.str(&self.high_memory);
        out.raw(",\"vmalloc_start\":");
        out.str(&self.vmalloc_start);
        out.raw(",\"vmalloc_end\":");
        out.str(&self.vmalloc_end);
        opt(out, ",\"pkmap_base\":", &self.pkmap_base);
        out.raw(",\"fixaddr_start\":");
        out.str(&self.fixaddr_start);
        out.raw(",\"fixaddr_tot_start\":");
        out.str(&self.fixaddr_tot_start);
        out.raw(",\"cpu_entry_area_base\":");
        out.str(&self.cpu_entry_area_base);
        out.raw(",\"ldt_base\":");
        out.str(&self.ldt_base);
        opt(out, ",\"vmemmap_base\":", &self.vmemmap_base);
        out.raw(",\"sync_level\":");
        out.str(&self.sync_level);
        out.raw(",\"entry_bytes\":");
        out.u64(self.entry_bytes);
        out.raw(",\"slot_span\":");
        out.str(&self.slot_span);
        out.raw(",\"vmalloc_sync_slots\":");
        out.u64(self.vmalloc_sync_slots);
        out.raw(",\"vmalloc_slot_range\":");
        out.list(self.vmalloc_slot_range, JsonOut::u64);
        out.raw(",\"kernel_sync_slots\":");
        out.u64(self.kernel_sync_slots);
        out.raw(",\"first_kernel_slot\":");
        out.u64(self.first_kernel_slot);
        out.raw(",\"prealloc_bytes\":");
        out.u64(self.prealloc_bytes);
        out.raw(",\"vmalloc_total_kb\":");
        out.u64(self.vmalloc_total_kb);
        if let Some(e) = self.email_estimate_slots {
            out.raw(",\"email_estimate_slots\":");
            out.u64(e);
        }
        out.raw(",\"regions\":");
        out.values(&self.regions);
        out.raw("}");
    }
}

impl ToJson for RegionInfo {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"name\":");
        out.str(&self.name);
        out.raw(",\"kind\":\"");
        out.raw(self.kind.name());
        out.raw("\",\"code\":");
        out.u64(u64::from(self.code));
        out.raw(",\"start\":");
        out.str(&self.start);
        out.raw(",\"last\":");
        out.str(&self.last);
        out.raw("}");
    }
}

impl ToJson for TableBytes {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"kernel\":");
        out.u64(self.kernel);
        out.raw(",\"total\":");
        out.u64(self.total);
        out.raw("}");
    }
}

impl ToJson for StepResult {
    fn write_json(&self, out: &mut JsonOut) {
        match self {
            StepResult::Op(r) => {
                out.raw("{\"kind\":\"op\",\"result\":");
                r.write_json(out);
                out.raw("}");
            }
            StepResult::Refused(e) => {
                out.raw("{\"kind\":\"refused\",\"result\":");
                e.write_json(out);
                out.raw("}");
            }
            StepResult::Checked => out.raw("{\"kind\":\"checked\"}"),
            StepResult::Text => out.raw("{\"kind\":\"text\"}"),
        }
    }
}

impl ToJson for Error {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"kind\":\"");
        out.raw(self.kind.name());
        out.raw("\",\"message\":");
        out.str(&self.message);
        if let Some(f) = self.field {
            out.raw(",\"field\":\"");
            out.raw(f.name());
            out.raw("\"");
        }
        if let Some(l) = self.line {
            out.raw(",\"line\":");
            out.u64(l as u64);
        }
        if let Some(c) = self.column {
            out.raw(",\"column\":");
            out.u64(c as u64);
        }
        out.raw("}");
    }
}

/// The configuration as the state hash reads it: every setting, sizes as numbers.
impl ToJson for Config {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"mode\":\"");
        out.raw(self.mode.name());
        out.raw("\",\"split\":");
        match self.split {
            Some(s) => {
                out.raw("\"");
                out.raw(s.name());
                out.raw("\"");
            }
            None => out.null(),
        }
        out.raw(",\"ram\":");
        out.u64(self.ram);
        out.raw(",\"vmalloc\":");
        out.opt_u64(self.vmalloc);
        out.raw(",\"pti\":");
        out.bool(self.pti);
        out.raw(",\"huge_ioremap\":");
        out.bool(self.huge_ioremap);
        out.raw(",\"strategy\":");
        out.str(&self.strategy.name());
        out.raw(",\"preset\":");
        self.preset.write_json(out);
        out.raw("}");
    }
}

impl ToJson for Preset {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"nr_cpus\":");
        out.u64(u64::from(self.nr_cpus));
        out.raw(",\"cea_pages_per_cpu\":");
        out.u64(self.cea_pages_per_cpu);
        out.raw(",\"fixmap_fixed_pages\":");
        out.u64(self.fixmap_fixed_pages);
        out.raw(",\"fixmap_pages_per_cpu\":");
        out.u64(self.fixmap_pages_per_cpu);
        out.raw(",\"fixmap_pages_after_btmaps\":");
        out.u64(self.fixmap_pages_after_btmaps);
        out.raw(",\"fixmap64_pages\":");
        out.u64(self.fixmap64_pages);
        out.raw("}");
    }
}
