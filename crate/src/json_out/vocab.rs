//! The larger texts the page reads once: the catalog, a comparison of eras, a tour's
//! steps.

use super::{JsonOut, ToJson};
use crate::catalog::{
    Catalog, CellLayout, ClassInfo, FieldInfo, GroupInfo, ModeInfo, Named, RegionKindInfo,
    StrategyInfo,
};
use crate::compare::{Cell, Column, Comparison, Row};
use crate::script::{Tour, TourPoint, TourStep};

impl ToJson for Catalog {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"modes\":");
        out.values(&self.modes);
        out.raw(",\"splits\":");
        out.strs(&self.splits);
        out.raw(",\"strategies\":");
        out.values(&self.strategies);
        out.raw(",\"strategy_groups\":");
        out.values(&self.strategy_groups);
        out.raw(",\"regions\":");
        out.values(&self.regions);
        out.raw(",\"classes\":");
        out.values(&self.classes);
        out.raw(",\"cell\":");
        self.cell.write_json(out);
        out.raw(",\"errors\":");
        out.strs(&self.errors);
        out.raw(",\"fields\":");
        out.values(&self.fields);
        out.raw(",\"metrics\":");
        out.strs(&self.metrics);
        out.raw(",\"events\":");
        out.strs(&self.events);
        out.raw(",\"whys\":");
        out.strs(&self.whys);
        out.raw(",\"outcomes\":");
        out.strs(&self.outcomes);
        out.raw(",\"hotplug_kinds\":");
        out.values(&self.hotplug_kinds);
        out.raw(",\"sync_kinds\":");
        out.values(&self.sync_kinds);
        out.raw("}");
    }
}

impl ToJson for ModeInfo {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"name\":");
        out.str(self.name);
        out.raw(",\"label\":");
        out.str(self.label);
        out.raw(",\"bits\":");
        out.u64(u64::from(self.bits));
        out.raw(",\"levels\":");
        out.strs(&self.levels);
        out.raw(",\"sync_level\":");
        out.str(self.sync_level);
        out.raw(",\"has_split\":");
        out.bool(self.has_split);
        out.raw(",\"pti\":");
        out.bool(self.pti);
        out.raw(",\"huge_ioremap\":");
        out.bool(self.huge_ioremap);
        out.raw(",\"pti_possible\":");
        out.bool(self.pti_possible);
        out.raw(",\"huge_ioremap_possible\":");
        out.bool(self.huge_ioremap_possible);
        out.raw("}");
    }
}

impl ToJson for StrategyInfo {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"name\":");
        out.str(&self.name);
        out.raw(",\"group\":");
        out.str(self.group);
        out.raw(",\"label\":");
        out.str(self.label);
        out.raw(",\"summary\":");
        out.str(self.summary);
        out.raw(",\"text\":");
        out.str(&self.text);
        out.raw(",\"modes\":");
        out.strs(&self.modes);
        out.raw("}");
    }
}

impl ToJson for GroupInfo {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"name\":");
        out.str(self.name);
        out.raw(",\"label\":");
        out.str(self.label);
        out.raw("}");
    }
}

impl ToJson for Named {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"name\":");
        out.str(self.name);
        out.raw(",\"label\":");
        out.str(self.label);
        out.raw("}");
    }
}

impl ToJson for FieldInfo {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"name\":");
        out.str(self.name);
        out.raw(",\"config\":");
        out.bool(self.config);
        out.raw("}");
    }
}

impl ToJson for ClassInfo {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"code\":");
        out.u64(u64::from(self.code));
        out.raw(",\"name\":");
        out.str(self.name);
        out.raw(",\"drift\":");
        out.bool(self.drift);
        out.raw("}");
    }
}

impl ToJson for RegionKindInfo {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"code\":");
        out.u64(u64::from(self.code));
        out.raw(",\"name\":");
        out.str(&self.name);
        out.raw("}");
    }
}

impl ToJson for CellLayout {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"kind_mask\":");
        out.u64(u64::from(self.kind_mask));
        out.raw(",\"kinds\":");
        out.strs(&self.kinds);
        out.raw(",\"class_shift\":");
        out.u64(u64::from(self.class_shift));
        out.raw(",\"class_mask\":");
        out.u64(u64::from(self.class_mask));
        out.raw("}");
    }
}

impl ToJson for Comparison {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"mode\":");
        out.str(&self.mode);
        out.raw(",\"rows\":");
        out.values(&self.rows);
        out.raw(",\"columns\":");
        out.values(&self.columns);
        out.raw(",\"first_parting\":");
        out.opt_u64(self.first_parting.map(|i| i as u64));
        out.raw("}");
    }
}

impl ToJson for Row {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"line\":");
        out.u64(self.line as u64);
        out.raw(",\"op\":");
        out.str(&self.op);
        out.raw(",\"parts\":");
        out.bool(self.parts);
        out.raw("}");
    }
}

impl ToJson for Column {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"policy\":");
        out.str(&self.policy);
        out.raw(",\"label\":");
        out.str(&self.label);
        if let Some(r) = &self.refused {
            out.raw(",\"refused\":");
            out.str(r);
        }
        out.raw(",\"cells\":");
        out.values(&self.cells);
        out.raw("}");
    }
}

impl ToJson for Cell {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"outcome\":");
        out.str(&self.outcome);
        if let Some(e) = &self.error {
            out.raw(",\"error\":");
            out.str(e);
        }
        out.raw(",\"drift\":");
        out.u64(self.drift);
        out.raw(",\"entries_copied\":");
        out.u64(self.entries_copied);
        out.raw(",\"directories_visited\":");
        out.u64(self.directories_visited);
        out.raw(",\"faults_fixed\":");
        out.u64(self.faults_fixed);
        out.raw(",\"oopses\":");
        out.u64(self.oopses);
        out.raw(",\"stale_accesses\":");
        out.u64(self.stale_accesses);
        out.raw(",\"bugs\":");
        out.u64(self.bugs);
        out.raw(",\"table_bytes\":");
        out.u64(self.table_bytes);
        out.raw("}");
    }
}

impl ToJson for Tour {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"title\":");
        out.str(&self.title);
        out.raw(",\"steps\":");
        out.values(&self.steps);
        out.raw("}");
    }
}

impl ToJson for TourStep {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"say\":");
        out.strs(&self.say);
        out.raw(",\"ask\":");
        out.opt_str(self.ask.as_deref());
        out.raw(",\"choices\":");
        out.strs(&self.choices);
        out.raw(",\"answer\":");
        out.opt_str(self.answer.as_deref());
        out.raw(",\"lines\":");
        out.strs(&self.lines);
        out.raw(",\"expectations\":");
        out.strs(&self.expectations);
        out.raw(",\"point\":");
        self.point.write_json(out);
        out.raw(",\"start\":");
        out.u64(self.start as u64);
        out.raw(",\"end\":");
        out.u64(self.end as u64);
        out.raw("}");
    }
}

impl ToJson for TourPoint {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"process\":");
        out.str(&self.process);
        out.raw(",\"addr\":");
        out.opt_str(self.addr.as_deref());
        out.raw("}");
    }
}
