//! Scenarios as JSON: the canonical JSON form of a configuration, a step and a whole
//! scenario (what `json_in` reads back); an operation's is written from its tree
//! (`crate::tree`).

use super::{JsonOut, ToJson};
use crate::script::{ConfigSpec, Expect, Scenario, Step, TextStep};

impl ToJson for Expect {
    fn write_json(&self, out: &mut JsonOut) {
        match self {
            Expect::Outcome { outcome } => {
                out.raw("{\"expect\":\"outcome\",\"outcome\":");
                out.str(outcome);
            }
            Expect::Divergence {
                process,
                class,
                count,
            } => {
                out.raw("{\"expect\":\"divergence\",\"process\":");
                out.str(process);
                out.raw(",\"class\":");
                out.str(class);
                out.raw(",\"count\":");
                out.u64(*count);
            }
            Expect::Metric { name, value } => {
                out.raw("{\"expect\":\"metric\",\"name\":");
                out.str(name);
                out.raw(",\"value\":");
                out.u64(*value);
            }
            Expect::Error { kind } => {
                out.raw("{\"expect\":\"error\",\"kind\":");
                out.str(kind);
            }
            Expect::TableBytes { of, bytes } => {
                out.raw("{\"expect\":\"table-bytes\",\"of\":");
                out.str(of);
                out.raw(",\"bytes\":");
                out.str(bytes);
            }
        }
        out.raw("}");
    }
}

impl ToJson for TextStep {
    fn write_json(&self, out: &mut JsonOut) {
        match self {
            TextStep::Say(t) => {
                out.raw("{\"say\":");
                out.str(t);
            }
            TextStep::Ask(t) => {
                out.raw("{\"ask\":");
                out.str(t);
            }
            TextStep::Choices(c) => {
                out.raw("{\"choices\":");
                out.strs(c);
            }
            TextStep::Point { process, addr } => {
                out.raw("{\"point\":{\"process\":");
                out.str(process);
                if let Some(a) = addr {
                    out.raw(",\"addr\":");
                    out.str(a);
                }
                out.raw("}");
            }
        }
        out.raw("}");
    }
}

impl ToJson for Step {
    fn write_json(&self, out: &mut JsonOut) {
        match self {
            Step::Op(op) => op.write_json(out),
            Step::Expect(x) => x.write_json(out),
            Step::Text(t) => t.write_json(out),
        }
    }
}

impl ToJson for ConfigSpec {
    fn write_json(&self, out: &mut JsonOut) {
        let opt_str = |out: &mut JsonOut, key: &str, v: &Option<String>| {
            if let Some(s) = v {
                out.raw(key);
                out.str(s);
            }
        };
        let opt_bool = |out: &mut JsonOut, key: &str, v: Option<bool>| {
            if let Some(b) = v {
                out.raw(key);
                out.bool(b);
            }
        };
        out.raw("{\"mode\":");
        out.str(&self.mode);
        opt_str(out, ",\"split\":", &self.split);
        opt_str(out, ",\"ram\":", &self.ram);
        opt_str(out, ",\"vmalloc\":", &self.vmalloc);
        opt_bool(out, ",\"pti\":", self.pti);
        opt_bool(out, ",\"huge_ioremap\":", self.huge_ioremap);
        opt_str(out, ",\"strategy\":", &self.strategy);
        if let Some(n) = self.nr_cpus {
            out.raw(",\"nr_cpus\":");
            out.u64(u64::from(n));
        }
        out.raw("}");
    }
}

impl ToJson for Scenario {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"config\":");
        self.config.write_json(out);
        out.raw(",\"steps\":");
        out.values(&self.steps);
        out.raw("}");
    }
}
