//! The WebAssembly bindings: the only module that knows wasm-bindgen and js-sys.
//!
//! One opaque handle, [`Playground`], wraps a [`Session`]; every method forwards to it
//! and converts at the boundary, nothing more:
//! - small structured results (an operation's result, the layout, processes, a slot's
//!   description, metrics, the history) cross as one JSON text each, written by the
//!   engine's own writer ([`crate::json_out`]), which the page reads with one
//!   `JSON.parse` (one text per result costs a few hundred nanoseconds where building the
//!   object field by field through the boundary cost microseconds): counters and
//!   indices are plain numbers, and
//!   every address or raw entry (which may exceed 2^53) is a `"0x…"` hex string, which
//!   `www/src/engine.js` turns into a `BigInt`; `None` is `null`;
//! - bulk numbers cross as typed-array views over wasm memory, never copied: `cells` and
//!   `slotRegions` as `Uint8Array`, `processStats` (the per-process counts and bytes of
//!   every redraw) as `Uint32Array`, `samples` as `Float64Array`; a view is valid until
//!   the next call on the handle;
//! - an operation or a configuration comes in as JSON text; `www/src/engine.js` writes
//!   an operation's text into the input buffer (`inputBuffer`, `applyInput`), so that
//!   passing it allocates nothing;
//! - an engine error becomes a JS `Error` whose `name` is [`ErrorKind::name`], whose
//!   message is the engine's, and whose `field` names the input it is about, if any.
//!
//! Compiled for `wasm32` only; the engine modules never import anything from here.

use crate::error::{Error, ErrorKind};
use crate::json_out::{to_json, Allocation, HistoryStep};
use crate::record::Record;
use crate::script::{ConfigSpec, Session, PROCESS_STAT_FIELDS};
use wasm_bindgen::prelude::*;

/// Installs the panic hook once, when the module is instantiated, so that a panic (always
/// a bug) reaches the console with its message instead of a bare `unreachable`.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The engine's vocabulary ([`crate::catalog::catalog`]) as JSON text: every mode,
/// strategy and era, region, divergence class, error kind, metric and event name the page
/// shows, and the cell-byte layout.
#[wasm_bindgen]
pub fn catalog() -> String {
    to_json(&crate::catalog::catalog())
}

/// The error of a step index past the history.
fn no_step(i: usize, len: usize) -> JsValue {
    js_error(Error::new(
        ErrorKind::BadAddress,
        format!("no step {i}: the history holds {len}"),
    ))
}

/// A JS `Error` whose `name` is the engine's stable error code.
/// Scenario text from what a user brings (a file, a paste, a link): JSON (starting with
/// `{`) becomes canonical text; text is returned as it is, for `Playground.fromScenario`
/// to parse. Throws `ScriptError` (with `line` and `column`) or `LimitExceeded`.
#[wasm_bindgen(js_name = scenarioTextOf)]
pub fn scenario_text_of(input: &str) -> Result<String, JsValue> {
    if input.trim_start().starts_with('{') {
        let sc = crate::script::Scenario::from_json(input).map_err(js_error)?;
        Ok(crate::script::to_text(&sc))
    } else {
        crate::limits::check_input(input, "the scenario").map_err(js_error)?;
        Ok(input.to_owned())
    }
}

/// A guided tour's text cut into steps ([`crate::script::tour_steps`]), as JSON text:
/// `{title, steps: [{say, ask, choices, answer, lines, expectations, start, end}]}`, where
/// `ask` and `answer` may be `null` and `start`/`end` count source lines. Throws
/// `ScriptError` (with `line` and `column`), for the text or for choices that no `expect`
/// line of the reveal gives, or `LimitExceeded`.
#[wasm_bindgen(js_name = tourSteps)]
pub fn tour_steps(text: &str) -> Result<String, JsValue> {
    let tour = crate::script::tour_steps(text).map_err(js_error)?;
    Ok(to_json(&tour))
}

/// The `expect` lines among `lines`, each in words ([`crate::script::Expect::words`]);
/// other lines are left out. Throws `ScriptError` for an `expect` line the engine does
/// not read.
#[wasm_bindgen(js_name = expectationWords)]
pub fn expectation_words(lines: Vec<String>) -> Result<Vec<String>, JsValue> {
    lines
        .iter()
        .filter(|l| l.split_whitespace().next() == Some("expect"))
        .map(|l| {
            crate::script::parse_expect_line(l)
                .map(|e| e.words())
                .map_err(js_error)
        })
        .collect()
}

fn js_error(e: Error) -> JsValue {
    let err = js_sys::Error::new(&e.message);
    err.set_name(e.kind.name());
    // Where in a scenario text the error is: `line` and `column` (1-based) as numbers.
    for (key, value) in [("line", e.line), ("column", e.column)] {
        if let Some(v) = value {
            // Setting a property on a fresh Error object cannot fail.
            let _ = js_sys::Reflect::set(&err, &key.into(), &(v as f64).into());
        }
    }
    // The input the error is about (`size`, `ram`, ...), for the page to place it by.
    if let Some(f) = e.field {
        let _ = js_sys::Reflect::set(&err, &"field".into(), &f.name().into());
    }
    err.into()
}

/// A `Uint8Array` view over bytes the handle keeps.
///
/// # Safety
/// The view aliases `bytes` in wasm memory without a copy. It is valid until `bytes` is
/// replaced or dropped (the next call that refills it, or `free`) or wasm memory grows
/// (any call that allocates): JS must read it before its next call on the handle.
fn view(bytes: &[u8]) -> js_sys::Uint8Array {
    // SAFETY: see above; the contract documents the lifetime to JavaScript, and nothing in
    // Rust writes to `bytes` while JavaScript holds the view between two calls.
    unsafe { js_sys::Uint8Array::view(bytes) }
}

/// A `Uint32Array` view over words the handle keeps.
///
/// # Safety
/// As [`view`]: valid until `words` is replaced or dropped or wasm memory grows, so JS
/// must read it before its next call on the handle.
fn view_u32(words: &[u32]) -> js_sys::Uint32Array {
    // SAFETY: as in `view`.
    unsafe { js_sys::Uint32Array::view(words) }
}

/// The size of the input buffer (`Playground.inputBuffer`): more than any operation the
/// page makes; a longer text is passed to `apply`.
const INPUT_BYTES: usize = 1024;

/// The input buffer of `Playground.inputBuffer` and `applyInput`, one for every handle (a
/// text is written and applied in one go). Only JavaScript writes it.
static mut INPUT: [u8; INPUT_BYTES] = [0; INPUT_BYTES];

/// A playground: one simulated machine with its processes, history and names.
#[wasm_bindgen]
pub struct Playground {
    session: Session,
    /// The bytes behind the last `cells` view.
    cells: Vec<u8>,
    /// The bytes behind the last `slotRegions` view.
    regions: Vec<u8>,
    /// The words behind the last `processStats` view.
    stats: Vec<u32>,
    /// The numbers behind the last `samples` view.
    samples: Vec<f64>,
    /// A scenario begun with `begin` and the index of its next step, until `run` ends it.
    pending: Option<(crate::script::Scenario, usize)>,
    /// The slots and bytes behind the last `stepRecord`.
    record: Record,
}

impl Playground {
    fn wrap(session: Session) -> Playground {
        Playground {
            session,
            cells: Vec::new(),
            regions: Vec::new(),
            stats: Vec::new(),
            samples: Vec::new(),
            pending: None,
            record: Record::default(),
        }
    }
}

#[wasm_bindgen]
impl Playground {
    /// A booted machine from a configuration's JSON text (`{"mode":"pae", ...}`, as in a
    /// scenario's config; sizes as strings). Throws `InvalidConfig` or `BadSize`.
    pub fn create(config: &str) -> Result<Playground, JsValue> {
        let cfg = ConfigSpec::from_json(config)
            .and_then(|spec| spec.to_config())
            .map_err(js_error)?;
        Session::new(cfg).map(Playground::wrap).map_err(js_error)
    }

    /// A playground that has run a whole scenario text. Throws `ScriptError`,
    /// `ExpectationFailed` or the error of the failing operation.
    #[wasm_bindgen(js_name = fromScenario)]
    pub fn from_scenario(text: &str) -> Result<Playground, JsValue> {
        Session::from_text(text)
            .map(Playground::wrap)
            .map_err(js_error)
    }

    /// A machine booted from a scenario's config line, with its steps still to run: call
    /// `run` until it returns 0. A long scenario then runs in slices, and the page stays
    /// responsive between them. Throws `ScriptError` (parse), `LimitExceeded`, or the
    /// config's error.
    pub fn begin(text: &str) -> Result<Playground, JsValue> {
        let sc = crate::script::parse(text).map_err(js_error)?;
        let session = Session::new(sc.config.to_config().map_err(js_error)?).map_err(js_error)?;
        let mut pg = Playground::wrap(session);
        pg.pending = Some((sc, 0));
        Ok(pg)
    }

    /// Runs up to `max_steps` more steps of the scenario given to `begin` (lines that are
    /// not operations count too); returns how many are left. Throws the failing step's
    /// error, with its `line`; the machine then holds the steps before it.
    pub fn run(&mut self, max_steps: usize) -> Result<usize, JsValue> {
        let Some((sc, next)) = self.pending.take() else {
            return Ok(0);
        };
        let end = next.saturating_add(max_steps.max(1)).min(sc.steps.len());
        for i in next..end {
            self.session.step(&sc, i).map_err(js_error)?;
        }
        let left = sc.steps.len() - end;
        if left > 0 {
            self.pending = Some((sc, end));
        }
        Ok(left)
    }

    /// History entry `i` and what it reported, as a record (`crate::record`): the address
    /// in wasm memory of its first slot, for `www/src/lib/record.js` to read at once (the
    /// next call into the engine may move or overwrite it). Throws `BadAddress` past the
    /// history.
    #[wasm_bindgen(js_name = stepRecord)]
    pub fn step_record(&mut self, i: usize) -> Result<usize, JsValue> {
        let (op, r) = self
            .session
            .history()
            .get(i)
            .zip(self.session.record(i))
            .ok_or_else(|| no_step(i, self.session.history().len()))?;
        let step = HistoryStep {
            op,
            result: &r.result,
        };
        Ok(self.record.write(&step).as_ptr() as usize)
    }

    /// The running totals at boot and after every history entry: a view of
    /// `4 × (history + 1)` numbers, `[copied, visited, faults, bytes]` each (read it at
    /// once: the next call into the engine may move it).
    pub fn samples(&mut self) -> js_sys::Float64Array {
        let n = self.session.history().len();
        self.samples.clear();
        self.samples.reserve(4 * (n + 1));
        let boot = self.session.boot_sample();
        let all = std::iter::once(boot)
            .chain((0..n).filter_map(|i| self.session.record(i).map(|r| r.sample)));
        for smp in all {
            self.samples.extend(smp.to_array().map(|v| v as f64));
        }
        // SAFETY: as in `view`: a view of memory this object owns, read before the next call.
        unsafe { js_sys::Float64Array::view(&self.samples) }
    }

    /// The operations of a scenario text compared across policies (`era:5.3`, `lazy`,
    /// ...; empty: every era, then the scenario's own strategy): the comparison as JSON
    /// text, whose numbers all fit a JS number. Throws `ScriptError` or `InvalidConfig`.
    pub fn compare(text: &str, strategies: Vec<String>) -> Result<String, JsValue> {
        let sc = crate::script::parse(text).map_err(js_error)?;
        let policies = if strategies.is_empty() {
            crate::compare::default_policies(&sc).map_err(js_error)?
        } else {
            strategies
                .iter()
                .map(|s| crate::config::Policy::parse(s))
                .collect::<crate::error::Result<Vec<_>>>()
                .map_err(js_error)?
        };
        let c = crate::compare::compare(&sc, &policies).map_err(js_error)?;
        Ok(to_json(&c))
    }

    /// Applies one operation given as JSON text; returns its index in the history, for
    /// `stepResult`, which gives what it reported. Nothing else crosses: a call that does
    /// nothing costs the call, and a result is read once, when the page wants it.
    pub fn apply(&mut self, op: &str) -> Result<usize, JsValue> {
        self.session.apply_json_kept(op).map_err(js_error)?;
        Ok(self.session.cursor() - 1)
    }

    /// The address in wasm memory of the input buffer, where JavaScript writes an
    /// operation's JSON text for `applyInput` (then passing an operation allocates
    /// nothing), if it holds `len` bytes; else 0. The address never changes.
    #[wasm_bindgen(js_name = inputBuffer)]
    pub fn input_buffer(len: usize) -> usize {
        if len <= INPUT_BYTES {
            std::ptr::addr_of_mut!(INPUT) as usize
        } else {
            0
        }
    }

    /// `apply` of the JSON text of the first `len` bytes of the input buffer. Throws as
    /// `apply` does, and `ScriptError` if those bytes are not UTF-8 text.
    #[wasm_bindgen(js_name = applyInput)]
    pub fn apply_input(&mut self, len: usize) -> Result<usize, JsValue> {
        // SAFETY: wasm32 runs one thread, and no Rust code writes the buffer: JavaScript
        // writes it between calls only, so nothing changes it while this reads it.
        let input: &[u8; INPUT_BYTES] = unsafe { &*std::ptr::addr_of!(INPUT) };
        let text = input.get(..len).and_then(|t| std::str::from_utf8(t).ok());
        let text = text.ok_or_else(|| {
            js_error(Error::new(
                ErrorKind::ScriptError,
                "not an operation: the input buffer does not hold UTF-8 text of that length",
            ))
        })?;
        self.apply(text)
    }

    /// Steps back one operation (the cursor moves; the history stays); false at the start.
    #[wasm_bindgen(js_name = stepBack)]
    pub fn step_back(&mut self) -> bool {
        self.session.step_back()
    }

    /// Steps forward over the operation after the cursor; false at the end.
    #[wasm_bindgen(js_name = stepForward)]
    pub fn step_forward(&mut self) -> bool {
        self.session.step_forward()
    }

    /// Moves to history position `cursor` (clamped) in one step: back by a single replay,
    /// forward by re-applying; returns the position reached. Use it for jumps, where
    /// repeated `stepBack()` would replay the prefix once per step.
    pub fn seek(&mut self, cursor: usize) -> usize {
        self.session.seek(cursor)
    }

    /// Whether there is an operation to step back over.
    #[wasm_bindgen(getter, js_name = canStepBack)]
    pub fn can_step_back(&self) -> bool {
        self.session.can_step_back()
    }

    /// Whether there is an operation after the cursor to step forward over.
    #[wasm_bindgen(getter, js_name = canStepForward)]
    pub fn can_step_forward(&self) -> bool {
        self.session.can_step_forward()
    }

    /// The operations applied and those after the cursor, as a JSON array of op objects.
    pub fn history(&self) -> String {
        to_json(self.session.history())
    }

    /// The kernel slot (index into `cells`) of an address as `access` takes it. Throws
    /// `BadAddress` or `UnknownAllocation`.
    #[wasm_bindgen(js_name = slotOf)]
    pub fn slot_of(&self, addr: &str) -> Result<usize, JsValue> {
        self.session.kernel_slot_of(addr).map_err(js_error)
    }

    /// How many history entries there are, applied or after the cursor.
    #[wasm_bindgen(getter, js_name = historyLength)]
    pub fn history_length(&self) -> usize {
        self.session.history().len()
    }

    /// How many history entries are applied (the rest are after a step back).
    #[wasm_bindgen(getter)]
    pub fn cursor(&self) -> usize {
        self.session.cursor()
    }

    /// The layout summary (the fields of `vmsync layout --json`, the regions, the slots)
    /// as JSON text.
    pub fn layout(&self) -> String {
        to_json(&self.session.layout_info())
    }

    /// Every live process (name, pid, page-table bytes, divergence counts) as JSON text.
    pub fn processes(&self) -> String {
        to_json(&self.session.processes())
    }

    /// The numbers of `processes()` for every live process, as one `Uint32Array` view
    /// valid until the next call on this handle (read it at once, or `.slice()` it):
    /// `processStatFields` words per process in `pgd_list` (pid) order, the order of
    /// `processNames()`: pid, same, missing, stale, different, private, page-table bytes.
    /// Nothing is copied; this is what a redraw reads instead of 1,000 objects.
    #[wasm_bindgen(js_name = processStats)]
    pub fn process_stats(&mut self) -> js_sys::Uint32Array {
        self.stats = self.session.process_stats();
        view_u32(&self.stats)
    }

    /// Words per process in `processStats()` (7).
    #[wasm_bindgen(getter, js_name = processStatFields)]
    pub fn process_stat_fields(&self) -> usize {
        PROCESS_STAT_FIELDS
    }

    /// The names of the live processes, in the order of `processStats()`.
    #[wasm_bindgen(js_name = processNames)]
    pub fn process_names(&self) -> Vec<String> {
        self.session.process_names()
    }

    /// One byte per kernel slot of a process's table (`null`: the reference), as a view
    /// valid until the next call. Throws `UnknownProcess`.
    pub fn cells(&mut self, process: Option<String>) -> Result<js_sys::Uint8Array, JsValue> {
        self.cells = self.session.cells(process.as_deref()).map_err(js_error)?;
        Ok(view(&self.cells))
    }

    /// The region code of every kernel slot, as a view valid until the next call.
    #[wasm_bindgen(js_name = slotRegions)]
    pub fn slot_regions(&mut self) -> js_sys::Uint8Array {
        self.regions = self.session.slot_regions();
        view(&self.regions)
    }

    /// One kernel slot of a table (`null`: the reference), decoded, as JSON text. Throws
    /// `UnknownProcess` or `BadAddress`.
    pub fn describe(&self, process: Option<String>, slot: usize) -> Result<String, JsValue> {
        let info = self
            .session
            .describe(process.as_deref(), slot)
            .map_err(js_error)?;
        Ok(to_json(&info))
    }

    /// ptdump text of a table's kernel half, or of one kernel slot.
    pub fn ptdump(&self, process: Option<String>, slot: Option<usize>) -> Result<String, JsValue> {
        self.session
            .ptdump(process.as_deref(), slot)
            .map_err(js_error)
    }

    /// The live allocations as JSON text: `[{name, value}]`, `value` the address.
    pub fn allocations(&self) -> String {
        let all = self.session.allocations();
        let list: Vec<Allocation> = all
            .iter()
            .map(|(name, value)| Allocation {
                name,
                value: *value,
            })
            .collect();
        to_json(&list)
    }

    /// Page-table memory in bytes, `{kernel, total}`, as JSON text.
    #[wasm_bindgen(js_name = tableBytes)]
    pub fn table_bytes(&self) -> String {
        to_json(&self.session.table_bytes())
    }

    /// Cumulative metrics as JSON text.
    pub fn metrics(&self) -> String {
        to_json(&self.session.metrics())
    }

    /// The applied operations as scenario text.
    #[wasm_bindgen(js_name = scenarioText)]
    pub fn scenario_text(&self) -> String {
        self.session.scenario_text()
    }

    /// The whole timeline as scenario text: applied operations and those after the cursor (see `cursor`).
    #[wasm_bindgen(js_name = timelineText)]
    pub fn timeline_text(&self) -> String {
        self.session.timeline_text()
    }

    /// The machine's configuration as canonical JSON text (a scenario's `config`).
    #[wasm_bindgen(js_name = configJson)]
    pub fn config_json(&self) -> String {
        to_json(&crate::script::ConfigSpec::from_config(
            self.session.config(),
        ))
    }

    /// The applied operations as canonical JSON text.
    #[wasm_bindgen(js_name = scenarioJson)]
    pub fn scenario_json(&self) -> String {
        self.session.scenario_json()
    }

    /// The state hash: equal natively and in wasm for the same configuration and operations.
    #[wasm_bindgen(js_name = stateHash)]
    pub fn state_hash(&self) -> u64 {
        self.session.state_hash()
    }
}

/// One operation (its JSON text) as its scenario line ([`crate::script::op_text`]): the
/// words the timeline, the log and the page's messages give an operation. Throws
/// `ScriptError` for what is not an operation.
#[wasm_bindgen(js_name = opText)]
pub fn op_text(op: &str) -> Result<String, JsValue> {
    let op = crate::script::ScriptOp::from_json(op).map_err(js_error)?;
    Ok(crate::script::op_text(&op))
}
