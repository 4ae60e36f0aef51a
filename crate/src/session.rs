//! The [`Session`]: a machine driven by names, with a cursor in its history that steps
//! back and forward (a deterministic replay of a prefix), and the scenario expectations
//! checked against it. It has no undo: undoing whole actions is the page's timeline's.
//! Also reachable as [`crate::script::Session`]; what it shows the page and the CLI is in
//! [`crate::view`].

use crate::config::{parse_size, Config};
use crate::error::{err, Error, Field, Result};
use crate::event::Event;
use crate::limits::excerpt;
use crate::machine::{Machine, OpResult, Value};
use crate::memory::Pid;
use crate::script::parse::{check_addr_syntax, parse};
use crate::script::{op_text, to_text, ConfigSpec, Expect, Scenario, ScriptOp, Step};
use crate::vec_map::VecMap;
use crate::view::StepResult;

/// A size or physical address of an operation, an error about `field` if it is not one.
fn size_of(text: &str, field: Field) -> Result<u64> {
    parse_size(text).map_err(|e| e.about(field))
}

/// The running totals a timeline charts after each step (and at boot).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Sample {
    /// Entries copied by syncs and fault fix-ups, so far.
    pub copied: u64,
    /// Page directories visited by syncs, so far.
    pub visited: u64,
    /// Faults fixed up plus oopses, so far.
    pub faults: u64,
    /// Page-table bytes of all the live processes.
    pub bytes: u64,
}

impl Sample {
    /// The fields in order, as the front end's flat array holds them.
    pub const FIELDS: usize = 4;

    /// The fields in order.
    pub fn to_array(self) -> [u64; Sample::FIELDS] {
        [self.copied, self.visited, self.faults, self.bytes]
    }
}

/// What one operation of the history reported when it was applied: kept, so that a
/// timeline is read from the run that built it and never run again to be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRecord {
    /// The operation's result (value, events, its own counters).
    pub result: OpResult,
    /// The totals after it.
    pub sample: Sample,
}

/// A machine driven by names, with its history.
#[derive(Debug, Clone)]
pub struct Session {
    pub(crate) machine: Machine,
    pub(crate) procs: VecMap<String, Pid>,
    pub(crate) allocs: VecMap<String, u64>,
    history: Vec<ScriptOp>,
    /// One record per history entry (applied or after the cursor), in step with `history`.
    records: Vec<StepRecord>,
    boot: Sample,
    cursor: usize,
    last_access: Option<String>,
    last_error: Option<Error>,
}

impl Session {
    /// A fresh session on a booted machine.
    ///
    /// # Errors
    /// `InvalidConfig`.
    pub fn new(config: Config) -> Result<Session> {
        let machine = Machine::new(config)?;
        let mut s = Session {
            machine,
            procs: VecMap::new(),
            allocs: VecMap::new(),
            history: Vec::new(),
            records: Vec::new(),
            boot: Sample::default(),
            cursor: 0,
            last_access: None,
            last_error: None,
        };
        s.boot = s.sample();
        Ok(s)
    }

    /// A session that has run every line of a scenario text, checking its expectations.
    ///
    /// # Errors
    /// `ScriptError` (parse), `ExpectationFailed`, or an operation's error with its line.
    pub fn from_text(text: &str) -> Result<Session> {
        let sc = parse(text)?;
        let mut s = Session::new(sc.config.to_config()?)?;
        s.run_steps(&sc)?;
        Ok(s)
    }

    /// Runs a scenario's steps on this session.
    ///
    /// # Errors
    /// The first failing line: an operation refused without an `expect error` after it,
    /// or an expectation that does not hold.
    pub fn run_steps(&mut self, sc: &Scenario) -> Result<()> {
        for i in 0..sc.steps.len() {
            self.step(sc, i)?;
        }
        Ok(())
    }

    /// Runs step `i` of a scenario. An operation refused with an `expect error` line right
    /// after it is a [`StepResult::Refused`], not an error.
    ///
    /// # Errors
    /// The step's error, prefixed with its line.
    pub fn step(&mut self, sc: &Scenario, i: usize) -> Result<StepResult> {
        let line = sc.lines.get(i).copied().unwrap_or(i + 1);
        let at = |e: Error| {
            Error {
                message: format!("line {line}: {}", e.message),
                ..e
            }
            .at(line, None)
        };
        match &sc.steps[i] {
            Step::Op(op) => match self.apply(op.clone()) {
                Ok(r) => Ok(StepResult::Op(r)),
                Err(e) => {
                    let expected = matches!(
                        sc.steps.get(i + 1),
                        Some(Step::Expect(Expect::Error { .. }))
                    );
                    if !expected {
                        let message = format!("{}: {}", op_text(op), e.message);
                        return Err(at(Error { message, ..e }));
                    }
                    self.last_error = Some(e.clone());
                    Ok(StepResult::Refused(e))
                }
            },
            Step::Expect(x) => self.check(x).map(|()| StepResult::Checked).map_err(at),
            Step::Text(_) => Ok(StepResult::Text),
        }
    }

    /// The machine.
    pub fn machine(&self) -> &Machine {
        &self.machine
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        self.machine.config()
    }

    fn pid(&self, name: &str) -> Result<Pid> {
        self.procs.get(name).copied().ok_or_else(|| {
            err!(
                UnknownProcess,
                "no live process '{name}'; live: {}",
                if self.procs.is_empty() {
                    "none (fork one first)".to_string()
                } else {
                    self.procs.keys().cloned().collect::<Vec<_>>().join(", ")
                },
                name = excerpt(name)
            )
        })
    }

    pub(crate) fn pid_opt(&self, name: Option<&str>) -> Result<Option<Pid>> {
        name.map(|n| self.pid(n)).transpose()
    }

    fn fresh_name(&self, name: &str) -> Result<()> {
        if let Some(why) = crate::limits::name_problem(name) {
            return Err(Error::new(crate::error::ErrorKind::ScriptError, why));
        }
        if self.procs.contains_key(name) || self.allocs.contains_key(name) {
            return Err(err!(
                ScriptError,
                "the name '{name}' is in use; pick another",
                name = excerpt(name)
            ));
        }
        Ok(())
    }

    /// Resolves `NAME`, `NAME+OFFSET` or an absolute address.
    ///
    /// # Errors
    /// `BadAddress` or `UnknownAllocation`.
    pub fn resolve(&self, addr: &str) -> Result<u64> {
        check_addr_syntax(addr).map_err(|m| err!(BadAddress, "{m}"))?;
        if addr.starts_with(|c: char| c.is_ascii_digit()) {
            return parse_size(addr).map_err(|e| err!(BadAddress, "{}", e.message));
        }
        let (n, off) = addr.split_once('+').unwrap_or((addr, "0"));
        let base = self.allocs.get(n).copied().ok_or_else(|| {
            err!(
                UnknownAllocation,
                "no live allocation '{n}'; live: {}",
                if self.allocs.is_empty() {
                    "none".to_string()
                } else {
                    self.allocs.keys().cloned().collect::<Vec<_>>().join(", ")
                },
                n = excerpt(n)
            )
        })?;
        base.checked_add(parse_size(off)?)
            .ok_or_else(|| err!(BadAddress, "{addr} overflows the address space"))
    }

    fn exec(&mut self, op: &ScriptOp) -> Result<OpResult> {
        match op {
            ScriptOp::Fork { name } => {
                self.fresh_name(name).map_err(|e| e.about(Field::Name))?;
                let r = self.machine.fork()?;
                if let Value::Pid(p) = r.value {
                    self.procs.insert(name.clone(), p);
                }
                Ok(r)
            }
            ScriptOp::Exit { process } => {
                let p = self.pid(process).map_err(|e| e.about(Field::Process))?;
                let r = self.machine.exit(p)?;
                self.procs.remove(process);
                Ok(r)
            }
            ScriptOp::Allocate {
                name,
                size,
                preempt,
            } => {
                self.fresh_name(name).map_err(|e| e.about(Field::Name))?;
                let r = self
                    .machine
                    .allocate(size_of(size, Field::Size)?, *preempt)?;
                if let Value::Address(a) = r.value {
                    self.allocs.insert(name.clone(), a);
                }
                Ok(r)
            }
            ScriptOp::Map { name, phys, size } => {
                self.fresh_name(name).map_err(|e| e.about(Field::Name))?;
                let r = self
                    .machine
                    .map(size_of(phys, Field::Phys)?, size_of(size, Field::Size)?)?;
                if let Value::Address(a) = r.value {
                    self.allocs.insert(name.clone(), a);
                }
                Ok(r)
            }
            ScriptOp::Unmap { name } => {
                let a = self.allocs.get(name).copied().ok_or_else(|| {
                    err!(
                        UnknownAllocation,
                        "no live allocation '{name}' to unmap",
                        name = excerpt(name)
                    )
                    .about(Field::Name)
                })?;
                // The machine speaks of the address; the operation gave the name.
                let r = self.machine.unmap(a).map_err(|e| Error {
                    field: Some(Field::Name),
                    ..e
                })?;
                self.allocs.remove(name);
                Ok(r)
            }
            ScriptOp::Sync { kind } => self.machine.sync(*kind).map_err(|e| e.about(Field::Kind)),
            ScriptOp::Resume => self.machine.resume(),
            ScriptOp::Access { process, addr } => {
                let p = self.pid(process).map_err(|e| e.about(Field::Process))?;
                let a = self.resolve(addr).map_err(|e| e.about(Field::Addr))?;
                let r = self.machine.access(p, a)?;
                if let Value::Access(acc) = &r.value {
                    self.last_access = Some(acc.outcome.name().to_string());
                }
                Ok(r)
            }
            ScriptOp::Hotplug {
                name,
                phys,
                size,
                kind,
                by,
            } => {
                self.fresh_name(name).map_err(|e| e.about(Field::Name))?;
                let by = by
                    .as_deref()
                    .map(|p| self.pid(p).map_err(|e| e.about(Field::By)))
                    .transpose()?;
                let r = self.machine.hotplug(
                    size_of(phys, Field::Phys)?,
                    size_of(size, Field::Size)?,
                    *kind,
                    by,
                )?;
                // The hot-adding process's own write can oops (vmemmap_use_new_sub_pmd()).
                if r.events
                    .iter()
                    .any(|e| matches!(e, Event::Fault { fixed: false, .. }))
                {
                    self.last_access = Some("oops".into());
                }
                if let Value::Address(a) = r.value {
                    self.allocs.insert(name.clone(), a);
                }
                Ok(r)
            }
            ScriptOp::Ldt { process } => {
                let p = self.pid(process).map_err(|e| e.about(Field::Process))?;
                self.machine.ldt(p)
            }
        }
    }

    /// Applies one operation. On success it becomes the newest history entry (the entries
    /// after the cursor are dropped); on failure nothing changes.
    ///
    /// # Errors
    /// The operation's error.
    pub fn apply(&mut self, op: ScriptOp) -> Result<OpResult> {
        self.apply_kept(op).map(|r| r.result.clone())
    }

    /// [`Session::apply`], answering with the record the history keeps (no copy of the
    /// result: what the wasm binding passes on).
    ///
    /// # Errors
    /// The operation's error.
    pub fn apply_kept(&mut self, op: ScriptOp) -> Result<&StepRecord> {
        if self.cursor >= crate::limits::MAX_OPERATIONS {
            return Err(err!(
                LimitExceeded,
                "a session holds at most {} operations; step back or start a new machine",
                crate::limits::MAX_OPERATIONS
            ));
        }
        let result = self.exec(&op)?;
        self.history.truncate(self.cursor);
        self.history.push(op);
        self.records.truncate(self.cursor);
        let sample = self.sample();
        self.records.push(StepRecord { result, sample });
        self.cursor += 1;
        self.last_error = None;
        Ok(&self.records[self.cursor - 1])
    }

    /// The totals now: the machine's counters and the live processes' table bytes.
    fn sample(&self) -> Sample {
        let m = self.machine.metrics();
        Sample {
            copied: m.entries_copied,
            visited: m.directories_visited,
            faults: m.faults_fixed + m.oopses,
            bytes: self.machine.processes_table_bytes(),
        }
    }

    /// The totals at boot.
    pub fn boot_sample(&self) -> Sample {
        self.boot
    }

    /// What history entry `i` reported when it was applied (whether applied now or stepped back over since).
    pub fn record(&self, i: usize) -> Option<&StepRecord> {
        self.records.get(i)
    }

    /// Applies one operation given as canonical JSON.
    ///
    /// # Errors
    /// `ScriptError` for JSON that is not an operation; otherwise the operation's error.
    pub fn apply_json(&mut self, json: &str) -> Result<OpResult> {
        self.apply_json_kept(json).map(|r| r.result.clone())
    }

    /// [`Session::apply_json`], answering with the record the history keeps.
    ///
    /// # Errors
    /// As [`Session::apply_json`].
    pub fn apply_json_kept(&mut self, json: &str) -> Result<&StepRecord> {
        self.apply_kept(ScriptOp::from_json(json)?)
    }

    fn replay(&mut self, upto: usize) {
        let history = std::mem::take(&mut self.history);
        let records = std::mem::take(&mut self.records);
        let config = self.machine.config().clone();
        // Not `expect`: that would format the error with its `Debug`, which (with `String`'s
        // escaping) is 3 kB of wasm no other path needs.
        let Ok(mut fresh) = Session::new(config) else {
            unreachable!("the config booted before")
        };
        for op in &history[..upto] {
            // The same operations on the same configuration succeed again: the engine is
            // deterministic.
            let _ = fresh.exec(op);
        }
        fresh.history = history;
        fresh.records = records;
        fresh.cursor = upto;
        *self = fresh;
    }

    /// Steps back one operation (the cursor moves; the history stays). Returns false at
    /// the start of the history.
    pub fn step_back(&mut self) -> bool {
        if self.cursor == 0 {
            return false;
        }
        self.replay(self.cursor - 1);
        true
    }

    /// Steps forward: re-applies the operation after the cursor. Returns false at the end
    /// of the history (or when it fails).
    pub fn step_forward(&mut self) -> bool {
        if self.cursor >= self.history.len() {
            return false;
        }
        let op = self.history[self.cursor].clone();
        if self.exec(&op).is_err() {
            return false;
        }
        self.cursor += 1;
        true
    }

    /// Moves the cursor to `cursor` (clamped to the history) in one go: back by one replay
    /// of the prefix, forward by re-applying the operations after the cursor. Returns the cursor
    /// reached (short of the target only if an operation failed on the way forward). A
    /// jump of n steps costs one replay, where n calls of [`Session::step_back`] cost n.
    pub fn seek(&mut self, cursor: usize) -> usize {
        let target = cursor.min(self.history.len());
        if target < self.cursor {
            self.replay(target);
        }
        while self.cursor < target && self.step_forward() {}
        self.cursor
    }

    /// Whether [`Session::step_back`] would do something.
    pub fn can_step_back(&self) -> bool {
        self.cursor > 0
    }

    /// Whether [`Session::step_forward`] would do something.
    pub fn can_step_forward(&self) -> bool {
        self.cursor < self.history.len()
    }

    /// The operations applied (up to the cursor) and those after it (stepped back over).
    pub fn history(&self) -> &[ScriptOp] {
        &self.history
    }

    /// How many history entries are applied.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The applied operations as a scenario.
    pub fn scenario(&self) -> Scenario {
        Scenario {
            config: ConfigSpec::from_config(self.machine.config()),
            steps: self.history[..self.cursor]
                .iter()
                .cloned()
                .map(Step::Op)
                .collect(),
            lines: Vec::new(),
        }
    }

    /// The applied operations as scenario text.
    pub fn scenario_text(&self) -> String {
        to_text(&self.scenario())
    }

    /// The kernel slot (the index into a table's cells) of an address as `access` takes
    /// it (`buf`, `buf+0x1000`, `0xf8000000`).
    ///
    /// # Errors
    /// `BadAddress` for an address below the kernel half; the errors of resolving it.
    pub fn kernel_slot_of(&self, addr: &str) -> Result<usize> {
        let va = self.resolve(addr)?;
        let l = self.machine.layout();
        l.slot_of(va)
            .checked_sub(l.first_kernel_slot())
            .ok_or_else(|| err!(BadAddress, "{addr} ({va:#x}) is not in the kernel half"))
    }

    /// The whole timeline as scenario text: the applied operations and those after the
    /// cursor (what a link holds, with the cursor beside it).
    pub fn timeline_text(&self) -> String {
        let mut sc = self.scenario();
        sc.steps
            .extend(self.history[self.cursor..].iter().cloned().map(Step::Op));
        to_text(&sc)
    }

    /// The applied operations as canonical JSON.
    pub fn scenario_json(&self) -> String {
        crate::json_out::to_json(&self.scenario())
    }

    /// Checks one expectation.
    ///
    /// # Errors
    /// `ExpectationFailed` saying what was expected and what is.
    pub fn check(&self, x: &Expect) -> Result<()> {
        let fail = |what: String| Err(err!(ExpectationFailed, "{what}"));
        match x {
            Expect::Outcome { outcome } => match &self.last_access {
                Some(o) if o == outcome => Ok(()),
                Some(o) => fail(format!(
                    "expected outcome {outcome}, the last access was {o}"
                )),
                None => fail(format!(
                    "expected outcome {outcome}, but nothing was accessed"
                )),
            },
            Expect::Divergence {
                process,
                class,
                count,
            } => {
                let p = self.pid(process)?;
                let c = self.machine.divergence_counts(p).unwrap_or_default();
                let got = c.get(class).unwrap_or(0);
                if got == *count {
                    Ok(())
                } else {
                    fail(format!(
                        "expected {count} {class} slots in {process}, found {got} (same {}, missing {}, stale {}, different {}, private {})",
                        c.same, c.missing, c.stale, c.different, c.private
                    ))
                }
            }
            Expect::Metric { name, value } => {
                let got = self.machine.metrics().get(name).unwrap_or(0);
                if got == *value {
                    Ok(())
                } else {
                    fail(format!("expected {name} = {value}, found {got}"))
                }
            }
            Expect::Error { kind } => match &self.last_error {
                Some(e) if e.kind.name() == kind => Ok(()),
                Some(e) => fail(format!(
                    "expected error {kind}, the operation failed with {}",
                    e.kind.name()
                )),
                None => fail(format!("expected error {kind}, the operation succeeded")),
            },
            Expect::TableBytes { of, bytes } => {
                let want = parse_size(bytes)?;
                let got = match of.as_str() {
                    "kernel" => self.machine.kernel_table_bytes(),
                    "total" => self.machine.total_table_bytes(),
                    p => self.machine.process_table_bytes(self.pid(p)?),
                };
                if got == want {
                    Ok(())
                } else {
                    fail(format!(
                        "expected {of} page tables of {want} bytes, found {got}"
                    ))
                }
            }
        }
    }
}
