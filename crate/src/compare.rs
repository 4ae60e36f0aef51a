//! The same scenario under several eras (or building blocks), side by side: for every
//! operation, each policy's outcome, drift and costs, and the first operation where the
//! policies part. One call computes the whole comparison; the page and `vmsync compare`
//! print it.
//!
//! Expectations, narration and questions are skipped: an `expect` line states what one
//! era does, and the comparison is about what each one does.

use crate::config::{Era, Policy};
use crate::error::Result;
use crate::event::Event;
use crate::machine::Value;
use crate::script::{op_text, Scenario, Step};
use crate::session::Session;

/// One policy's column: its name, its label, and a cell per operation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Column {
    /// `era:5.3` or a building block's name.
    pub policy: String,
    /// What the policy is, for a person: the releases of an era, or the block's name.
    pub label: String,
    /// Why the policy could not run this scenario at all (e.g. a building block that does
    /// not fit the mode); then `cells` is empty.
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none"))]
    pub refused: Option<String>,
    /// One cell per operation of the scenario.
    pub cells: Vec<Cell>,
}

/// What one operation did under one policy, and the machine after it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Cell {
    /// `translated`, `fault-fixed`, `oops` or `stale` for an access (and `oops` for a
    /// hot-add whose own process oopsed); `bug` when a sync hit `BUG_ON`; `refused` when
    /// the operation was refused; otherwise `ok`.
    pub outcome: String,
    /// The error's kind and message when the operation was refused.
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none"))]
    pub error: Option<String>,
    /// Kernel slots out of step with the reference, summed over the processes: missing,
    /// stale and different.
    pub drift: u64,
    /// Entries copied so far (syncs and faults).
    pub entries_copied: u64,
    /// Page directories visited so far by sync passes.
    pub directories_visited: u64,
    /// Faults fixed up so far.
    pub faults_fixed: u64,
    /// Oopses so far.
    pub oopses: u64,
    /// Stale accesses so far.
    pub stale_accesses: u64,
    /// `BUG_ON`s so far.
    pub bugs: u64,
    /// Page-table bytes of the kernel and every process now.
    pub table_bytes: u64,
}

/// One row: an operation of the scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Row {
    /// Its line in the scenario text (1-based).
    pub line: usize,
    /// The operation as a scenario line.
    pub op: String,
    /// Whether the policies' cells differ in outcome or drift here.
    pub parts: bool,
}

/// A whole comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Comparison {
    /// The paging mode.
    pub mode: String,
    /// The operations, in order.
    pub rows: Vec<Row>,
    /// One column per policy, in the order asked.
    pub columns: Vec<Column>,
    /// The index in `rows` of the first operation where the policies part, if any.
    pub first_parting: Option<usize>,
}

/// The policies a comparison of `sc` runs by default: every era, then the scenario's own
/// strategy when it is a building block.
pub fn default_policies(sc: &Scenario) -> Result<Vec<Policy>> {
    let mut v: Vec<Policy> = Era::ALL.into_iter().map(Policy::Era).collect();
    let own = sc.config.to_config()?.strategy;
    if !v.contains(&own) {
        v.push(own);
    }
    Ok(v)
}

/// Runs every operation of `sc` under each policy and compares them.
///
/// # Errors
/// `InvalidConfig` when the scenario's own configuration is invalid (a policy that
/// cannot run the scenario is reported in its column instead).
pub fn compare(sc: &Scenario, policies: &[Policy]) -> Result<Comparison> {
    let base = sc.config.to_config()?;
    let ops: Vec<(usize, &crate::script::ScriptOp)> = sc
        .steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s {
            Step::Op(op) => Some((sc.lines.get(i).copied().unwrap_or(i + 1), op)),
            _ => None,
        })
        .collect();
    let mut columns = Vec::new();
    for &p in policies {
        let mut cfg = base.clone();
        cfg.strategy = p;
        let label = match p {
            Policy::Era(e) => e.releases().to_string(),
            Policy::Strategy(s) => s.name().to_string(),
        };
        let mut col = Column {
            policy: p.name(),
            label,
            refused: None,
            cells: Vec::new(),
        };
        match Session::new(cfg) {
            Err(e) => col.refused = Some(e.to_string()),
            Ok(mut s) => {
                for (_, op) in &ops {
                    col.cells.push(run_one(&mut s, op));
                }
            }
        }
        columns.push(col);
    }
    let live: Vec<&Column> = columns.iter().filter(|c| c.refused.is_none()).collect();
    let rows: Vec<Row> = ops
        .iter()
        .enumerate()
        .map(|(i, (line, op))| Row {
            line: *line,
            op: op_text(op),
            parts: live.windows(2).any(|w| {
                let (a, b) = (&w[0].cells[i], &w[1].cells[i]);
                a.outcome != b.outcome || a.drift != b.drift
            }),
        })
        .collect();
    Ok(Comparison {
        mode: base.mode.name().to_string(),
        first_parting: rows.iter().position(|r| r.parts),
        rows,
        columns,
    })
}

fn run_one(s: &mut Session, op: &crate::script::ScriptOp) -> Cell {
    let (outcome, error) = match s.apply(op.clone()) {
        Err(e) => ("refused".to_string(), Some(e.to_string())),
        Ok(r) => {
            let hit = |f: fn(&Event) -> bool| r.events.iter().any(f);
            let o = if let Value::Access(a) = &r.value {
                a.outcome.name()
            } else if hit(|e| matches!(e, Event::Bug { .. })) {
                "bug"
            } else if hit(|e| matches!(e, Event::Fault { fixed: false, .. })) {
                "oops"
            } else {
                "ok"
            };
            (o.to_string(), None)
        }
    };
    let m = s.metrics();
    Cell {
        outcome,
        error,
        drift: s.processes().iter().map(|p| p.divergence.divergent()).sum(),
        entries_copied: m.entries_copied,
        directories_visited: m.directories_visited,
        faults_fixed: m.faults_fixed,
        oopses: m.oopses,
        stale_accesses: m.stale_accesses,
        bugs: m.bugs,
        table_bytes: s.machine().total_table_bytes(),
    }
}

/// A total printed under the table: its name and how to read it from a cell.
type Total = (&'static str, fn(&Cell) -> u64);

impl Comparison {
    /// The comparison as a plain-text table for a mail or a commit message: a row per
    /// operation with each policy's outcome and drift (the slots out of step, summed over
    /// the processes), `*` on the first row where they part, then each policy's totals.
    pub fn to_text(&self) -> String {
        let live: Vec<&Column> = self
            .columns
            .iter()
            .filter(|c| c.refused.is_none())
            .collect();
        let opw = self
            .rows
            .iter()
            .map(|r| r.op.len())
            .max()
            .unwrap_or(2)
            .clamp(2, 40);
        let text = |c: &Cell| format!("{} {}", c.outcome, c.drift);
        let colw = live
            .iter()
            .map(|c| {
                let cells = c.cells.iter().map(|x| text(x).chars().count());
                cells.chain([c.policy.len(), 10]).max().unwrap_or(10)
            })
            .collect::<Vec<_>>();
        let mut out = String::from("outcome and drift (slots out of step) after each operation\n");
        out.push_str(&format!("{:>4}  {:<opw$}", "line", "operation"));
        for (c, w) in live.iter().zip(&colw) {
            out.push_str(&format!("  {:<w$}", c.policy));
        }
        out.push('\n');
        for (i, r) in self.rows.iter().enumerate() {
            let mark = if Some(i) == self.first_parting {
                '*'
            } else {
                ' '
            };
            let op: String = r.op.chars().take(opw).collect();
            out.push_str(&format!("{:>4}{mark} {op:<opw$}", r.line));
            for (c, w) in live.iter().zip(&colw) {
                out.push_str(&format!("  {:<w$}", text(&c.cells[i])));
            }
            out.push('\n');
        }
        let totals: [Total; 7] = [
            ("entries copied", |c| c.entries_copied),
            ("directories visited", |c| c.directories_visited),
            ("faults fixed", |c| c.faults_fixed),
            ("oopses", |c| c.oopses),
            ("stale accesses", |c| c.stale_accesses),
            ("BUG_ONs", |c| c.bugs),
            ("page-table bytes", |c| c.table_bytes),
        ];
        for (name, f) in totals {
            out.push_str(&format!("{:>4}  {name:<opw$}", ""));
            for (c, w) in live.iter().zip(&colw) {
                let v = c.cells.last().map_or(0, f);
                out.push_str(&format!("  {v:<w$}"));
            }
            out.push('\n');
        }
        match self.first_parting {
            Some(i) => out.push_str(&format!(
                "* the policies part first at line {}: {}\n",
                self.rows[i].line, self.rows[i].op
            )),
            None => out.push_str("the policies never part on this scenario\n"),
        }
        for c in self.columns.iter().filter(|c| c.refused.is_some()) {
            out.push_str(&format!(
                "{}: not run: {}\n",
                c.policy,
                c.refused.as_deref().unwrap_or_default()
            ));
        }
        out
    }
}
