//! The wasm bindings as JavaScript sees them, run in Node by wasm-bindgen-test-runner:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test
//! --target wasm32-unknown-unknown -p vmsync --test wasm`.
//!
//! Determinism across targets: the same configuration and operations must give the same
//! state hash natively and in wasm. The host test below computes the native hash of each
//! run in [`RUNS`] and checks it against the constant; the wasm tests check the wasm hash
//! against the same constant. When an engine change moves a hash on purpose, the host test
//! fails and prints the new value to put in [`RUNS`].

/// A configuration, operations in canonical JSON, and the state hash they end in.
struct Run {
    config: &'static str,
    ops: &'static [&'static str],
    hash: u64,
}

/// Runs that touch every operation kind the configuration allows.
const RUNS: &[Run] = &[
    Run {
        config: r#"{"mode":"x86-64"}"#,
        ops: &[
            r#"{"op":"fork","name":"A"}"#,
            r#"{"op":"allocate","name":"buf","size":"64K"}"#,
            r#"{"op":"map","name":"io","phys":"0xfe000000","size":"2M"}"#,
            r#"{"op":"access","process":"A","addr":"buf+0x1000"}"#,
            r#"{"op":"fork","name":"B"}"#,
            r#"{"op":"unmap","name":"io"}"#,
            r#"{"op":"ldt","process":"B"}"#,
            r#"{"op":"exit","process":"A"}"#,
        ],
        // Changed by the eras table: the default strategy is hashed as era:5.9, and a
        // 64-bit fork clones from KERNEL_PGD_BOUNDARY (273), 239 entries, not 256.
        hash: 0xc40c_5ee5_e972_33f3,
    },
    Run {
        config: r#"{"mode":"pae","split":"3G","pti":true,"strategy":"lazy"}"#,
        ops: &[
            r#"{"op":"fork","name":"A"}"#,
            r#"{"op":"allocate","name":"buf","size":"64K"}"#,
            r#"{"op":"access","process":"A","addr":"buf"}"#,
            r#"{"op":"map","name":"io","phys":"0xfe000000","size":"2M"}"#,
            r#"{"op":"fork","name":"B"}"#,
            r#"{"op":"unmap","name":"io"}"#,
            r#"{"op":"sync","kind":"unmappings"}"#,
            r#"{"op":"access","process":"B","addr":"buf+0x2000"}"#,
        ],
        hash: 0xaf51_6586_5d79_26a6,
    },
];

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn native_state_hashes_are_the_ones_the_wasm_tests_check() {
    use vmsync::script::{ConfigSpec, Session};
    for (i, run) in RUNS.iter().enumerate() {
        let spec = ConfigSpec::from_json(run.config).unwrap();
        let mut s = Session::new(spec.to_config().unwrap()).unwrap();
        for op in run.ops {
            s.apply_json(op)
                .unwrap_or_else(|e| panic!("run {i}, {op}: {e}"));
        }
        assert_eq!(
            s.state_hash(),
            run.hash,
            "run {i}: the native state hash is {:#x}; if the engine changed it on purpose, \
             put that value in RUNS (the wasm tests check the same constant)",
            s.state_hash()
        );
    }
}

#[cfg(target_arch = "wasm32")]
mod in_node {
    use super::RUNS;
    use js_sys::{Reflect, Uint32Array, Uint8Array, JSON};
    use vmsync::wasm::Playground;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_test::wasm_bindgen_test;

    /// The lowest address of x86-64's vmalloc area (`VMALLOC_START`, 4-level).
    const X86_64_VMALLOC_START: u64 = 0xffff_c900_0000_0000;

    fn json(text: &str) -> JsValue {
        JSON::parse(text).expect("test JSON parses")
    }

    /// A result as the page reads it: JSON text, parsed.
    /// A result's text, from a method that can throw or from one that cannot.
    trait Text {
        fn text(self) -> String;
    }
    impl Text for String {
        fn text(self) -> String {
            self
        }
    }
    impl Text for Result<String, JsValue> {
        fn text(self) -> String {
            self.expect("a result")
        }
    }

    fn parsed(text: impl Text) -> JsValue {
        json(&text.text())
    }

    /// An address or raw entry as a result carries it: a `"0x…"` string, exact in 64 bits.
    fn hex(v: JsValue) -> u64 {
        let s = v
            .as_string()
            .unwrap_or_else(|| panic!("expected a hex string, got {v:?}"));
        let digits = s.strip_prefix("0x").expect("a 0x prefix");
        u64::from_str_radix(digits, 16).expect("hex digits")
    }

    /// A count as a result carries it: a plain number.
    fn number(v: JsValue) -> f64 {
        v.as_f64()
            .unwrap_or_else(|| panic!("expected a number, got {v:?}"))
    }

    fn get(obj: &JsValue, key: &str) -> JsValue {
        Reflect::get(obj, &JsValue::from_str(key)).expect("an object")
    }

    fn x86_64() -> Playground {
        Playground::create(r#"{"mode":"x86-64"}"#).expect("x86-64 boots")
    }

    /// The wasm memory's current buffer (a new one after every growth).
    fn wasm_buffer() -> JsValue {
        wasm_bindgen::memory()
            .dyn_into::<js_sys::WebAssembly::Memory>()
            .expect("the wasm memory")
            .buffer()
    }

    /// The `name` of a thrown JS `Error`.
    fn error_name(e: JsValue) -> String {
        let e: js_sys::Error = e.dyn_into().expect("a real Error object");
        String::from(e.name())
    }

    #[wasm_bindgen_test]
    fn an_x86_64_vmalloc_address_crosses_exactly_and_counters_as_numbers() {
        // What an operation reported is read as a record (scripts/record.test.mjs holds
        // that reading to the engine's JSON); the lists below still cross as JSON.
        let mut pg = x86_64();
        let i = pg
            .apply(r#"{"op":"allocate","name":"buf","size":"64K"}"#)
            .expect("allocate");
        assert_eq!(i, 0, "apply answers with the step's index in the history");
        assert_ne!(pg.step_record(i).expect("a record"), 0);
        let e = pg.step_record(1).expect_err("no step 1");
        assert_eq!(error_name(e), "BadAddress");
        // The metrics and the allocations: addresses as exact hex, counts as numbers.
        let m = parsed(pg.metrics());
        assert!(number(get(&m, "tables_allocated")) >= 1.0);
        let allocs = parsed(pg.allocations());
        let first = Reflect::get_u32(&allocs, 0).expect("one allocation");
        assert_eq!(get(&first, "name").as_string().as_deref(), Some("buf"));
        assert_eq!(
            hex(get(&first, "value")),
            X86_64_VMALLOC_START,
            "first fit starts at VMALLOC_START"
        );
        assert_eq!(
            get(&first, "value").as_string().as_deref(),
            Some("0xffffc90000000000"),
            "lower-case digits after 0x, no padding"
        );
        let e = pg
            .apply(r#"{"op":"access","process":"A","addr":"buf"}"#)
            .expect_err("no process A yet");
        assert_eq!(error_name(e), "UnknownProcess");
        pg.apply(r#"{"op":"fork","name":"A"}"#).expect("fork");
        let i = pg
            .apply(r#"{"op":"access","process":"A","addr":"buf+0x1000"}"#)
            .expect("access");
        assert_eq!(i, 2, "the refused access is not in the history");
    }

    #[wasm_bindgen_test]
    fn bad_input_throws_errors_named_by_kind() {
        let mut pg = x86_64();
        let name = |r: Result<usize, JsValue>| error_name(r.expect_err("should throw"));
        assert_eq!(
            name(pg.apply(r#"{"op":"allocate","name":"b","size":"0"}"#)),
            "BadSize"
        );
        assert_eq!(
            name(pg.apply(r#"{"op":"access","process":"nobody","addr":"0xffffc90000000000"}"#)),
            "UnknownProcess"
        );
        assert_eq!(name(pg.apply(r#"{"op":"levitate"}"#)), "ScriptError");
        assert_eq!(
            error_name(
                pg.cells(Some("nobody".into()))
                    .expect_err("no such process")
            ),
            "UnknownProcess"
        );
        let bad = Playground::create(r#"{"mode":"x86-16"}"#);
        let e = bad.err().expect("unknown mode");
        // The input an error is about crosses as `field`, for the page to place it by.
        assert_eq!(get(&e, "field").as_string().as_deref(), Some("mode"));
        assert_eq!(error_name(e), "InvalidConfig");
        // NR_CPUS as a form writes it: the engine decides, and names the field.
        let bad = Playground::create(r#"{"mode":"pae","nr_cpus":"abc"}"#);
        let e = bad.err().expect("not a number");
        assert_eq!(get(&e, "field").as_string().as_deref(), Some("nr_cpus"));
        assert_eq!(error_name(e), "InvalidConfig");
        assert!(Playground::create(r#"{"mode":"pae","nr_cpus":"4"}"#).is_ok());
        let bad = Playground::create(r#"{"mode":"pae","bogus":1}"#);
        let e = bad.err().expect("unknown field");
        assert!(get(&e, "field").is_undefined());
        assert_eq!(error_name(e), "InvalidConfig");
        let e = pg
            .apply(r#"{"op":"allocate","name":"z","size":"lots"}"#)
            .expect_err("not a size");
        assert_eq!(get(&e, "field").as_string().as_deref(), Some("size"));
        let bad = Playground::from_scenario("config mode=pae\nfrobnicate A\n");
        let e = bad.err().expect("bad line");
        // The position crosses as numbers, for the page to mark the line and column.
        assert_eq!(get(&e, "line").as_f64(), Some(2.0));
        assert_eq!(get(&e, "column").as_f64(), Some(1.0));
        assert_eq!(error_name(e), "ScriptError");
        let e = Playground::from_scenario("config mode=pae\nexit A\n")
            .err()
            .expect("no A");
        assert_eq!(get(&e, "line").as_f64(), Some(2.0));
        assert!(get(&e, "column").is_undefined());
        // A refused operation changes nothing.
        assert!(!pg.can_step_back());
    }

    #[wasm_bindgen_test]
    fn an_operation_is_said_by_the_engine_printer() {
        let said = |text: &str| vmsync::wasm::op_text(text).expect(text);
        assert_eq!(
            said(r#"{"op":"allocate","name":"b","size":"64K","preempt":true}"#),
            "allocate b 64K preempt"
        );
        assert_eq!(
            said(
                r#"{"op":"hotplug","name":"m","phys":"0x1000","size":"2M","kind":"dax","by":"A"}"#
            ),
            "hotplug m 0x1000 2M dax by A"
        );
        let e = vmsync::wasm::op_text(r#"{"op":"levitate"}"#).expect_err("no such op");
        assert_eq!(error_name(e), "ScriptError");
    }

    #[wasm_bindgen_test]
    fn scenario_json_becomes_text_and_bad_json_is_placed() {
        let pg = x86_64();
        let json = pg.scenario_json();
        let text = vmsync::wasm::scenario_text_of(&json).expect("the engine's own JSON");
        assert_eq!(text, pg.scenario_text());
        let plain = "config mode=pae\n# a comment stays\nfork A\n";
        assert_eq!(vmsync::wasm::scenario_text_of(plain).expect("text"), plain);
        // Text that is not JSON: the JSON's own line and column.
        let e = vmsync::wasm::scenario_text_of("{\n  \"config\": 7,\n}").expect_err("bad");
        assert_eq!(get(&e, "line").as_f64(), Some(3.0));
        assert_eq!(get(&e, "column").as_f64(), Some(1.0));
        assert_eq!(error_name(e), "ScriptError");
        // JSON that is not a scenario: the message says what is wrong where, with no line.
        let e = vmsync::wasm::scenario_text_of("{\n  \"config\": 7\n}").expect_err("bad");
        assert!(get(&e, "line").is_undefined());
        let message = e.dyn_ref::<js_sys::Error>().expect("an Error").message();
        assert!(
            String::from(message).contains("a configuration is a JSON object"),
            "message"
        );
        assert_eq!(error_name(e), "ScriptError");
    }

    #[wasm_bindgen_test]
    fn a_tour_is_cut_into_steps_as_json_and_a_bad_one_is_placed() {
        let text = "# T\nconfig mode=pae strategy=era:5.3\nfork A\nallocate b 4K\n\
                    ask A reads b?\naccess A b\nexpect outcome fault-fixed\nsay Fixed.\n";
        let tour = json(&vmsync::wasm::tour_steps(text).expect("a tour"));
        assert_eq!(get(&tour, "title").as_string().as_deref(), Some("T"));
        let step = Reflect::get_u32(&get(&tour, "steps"), 0).expect("a step");
        assert_eq!(get(&step, "start").as_f64(), Some(5.0));
        assert_eq!(get(&step, "end").as_f64(), Some(8.0));
        let words = vmsync::wasm::expectation_words(vec![
            "access A b".into(),
            "expect outcome fault-fixed".into(),
        ])
        .expect("words");
        assert_eq!(words, ["the access faults, and the fault is fixed up"]);
        let e = vmsync::wasm::tour_steps("config mode=pae\nfrob\n").expect_err("bad");
        assert_eq!(get(&e, "line").as_f64(), Some(2.0));
        assert_eq!(error_name(e), "ScriptError");
    }

    #[wasm_bindgen_test]
    fn cells_and_regions_are_views_of_one_byte_per_kernel_slot() {
        let mut pg = x86_64();
        pg.apply(r#"{"op":"fork","name":"A"}"#).expect("fork");
        let slots = number(get(&parsed(pg.layout()), "kernel_sync_slots")) as u64;
        assert_eq!(slots, 256, "x86-64 has 256 kernel PGD slots");
        let cells: Uint8Array = pg.cells(Some("A".into())).expect("cells of A");
        assert_eq!(u64::from(cells.length()), slots);
        assert_eq!(
            JsValue::from(cells.buffer()),
            wasm_buffer(),
            "a view over wasm memory, not a copy"
        );
        let reference = pg.cells(None).expect("cells of the reference");
        assert_eq!(u64::from(reference.length()), slots);
        let regions = pg.slot_regions();
        assert_eq!(u64::from(regions.length()), slots);
        assert_eq!(JsValue::from(regions.buffer()), wasm_buffer());
        // The first slot of the vmalloc area is a vmalloc slot (region code 3).
        let range = get(&parsed(pg.layout()), "vmalloc_slot_range");
        let first = number(Reflect::get_u32(&range, 0).expect("a range"));
        let regions = pg.slot_regions();
        assert_eq!(regions.get_index(first as u32), 3);
    }

    #[wasm_bindgen_test]
    fn process_stats_is_a_view_that_agrees_with_processes() {
        // Three processes with drift: a stale entry in A and B, a missing one in all three.
        let mut pg = Playground::from_scenario(
            "config mode=pae strategy=lazy huge-ioremap=on\nfork A\nfork B\n\
             map io 0xfe000000 2M\nsync mappings\nunmap io\nfork C\nallocate buf 64K\n",
        )
        .expect("scenario runs");
        let fields = pg.process_stat_fields();
        assert_eq!(fields, 7, "pid, five divergence counts, page-table bytes");
        let names = pg.process_names();
        assert_eq!(names, ["A", "B", "C"], "pid order");
        let procs = parsed(pg.processes());
        let stats: Uint32Array = pg.process_stats();
        assert_eq!(
            JsValue::from(stats.buffer()),
            wasm_buffer(),
            "a view over wasm memory, not a copy"
        );
        assert_eq!(stats.length() as usize, names.len() * fields);
        let stats = stats.to_vec();
        let classes = ["same", "missing", "stale", "different", "private"];
        let mut drift = 0;
        for (i, name) in names.iter().enumerate() {
            let p = Reflect::get_u32(&procs, i as u32).expect("a process");
            let rec = &stats[i * fields..(i + 1) * fields];
            assert_eq!(get(&p, "name").as_string().as_deref(), Some(name.as_str()));
            assert_eq!(
                get(&p, "pid").as_f64(),
                Some(f64::from(rec[0])),
                "{name}: pid"
            );
            let d = get(&p, "divergence");
            for (k, class) in classes.iter().enumerate() {
                assert_eq!(
                    get(&d, class).as_f64(),
                    Some(f64::from(rec[1 + k])),
                    "{name}: {class}"
                );
            }
            drift += rec[2] + rec[3] + rec[4];
            assert_eq!(
                number(get(&p, "table_bytes")),
                f64::from(rec[6]),
                "{name}: bytes"
            );
            assert!(rec[6] > 0, "{name} owns page tables");
        }
        assert!(drift > 0, "the scenario leaves some drift to compare");
        // A later call refills the view: after an exit, two records.
        pg.apply(r#"{"op":"exit","process":"B"}"#).expect("exit");
        assert_eq!(pg.process_names(), ["A", "C"]);
        assert_eq!(pg.process_stats().length() as usize, 2 * fields);
    }

    #[wasm_bindgen_test]
    fn small_results_are_json_with_hex_addresses_numbers_and_nulls() {
        let mut pg = x86_64();
        pg.apply(r#"{"op":"fork","name":"A"}"#).expect("fork");
        let procs = parsed(pg.processes());
        let a = Reflect::get_u32(&procs, 0).expect("one process");
        assert_eq!(get(&a, "name").as_string().as_deref(), Some("A"));
        let own = number(get(&a, "table_bytes"));
        let bytes = parsed(pg.table_bytes());
        let (kernel, total) = (number(get(&bytes, "kernel")), number(get(&bytes, "total")));
        assert!(
            kernel > 0.0 && total >= kernel + own,
            "{kernel} + {own} > {total}"
        );
        // An empty slot has no target: null, not undefined.
        let empty = parsed(pg.describe(None, 3));
        assert_eq!(get(&empty, "kind").as_string().as_deref(), Some("empty"));
        assert!(get(&empty, "target").is_null());
        assert!(hex(get(&empty, "va")) >= 0xffff_8000_0000_0000);
        assert_eq!(number(get(&empty, "slot")), 3.0);
        // The direct map's first slot (PGD 273): its raw entry and its target as hex.
        let direct = parsed(pg.describe(None, 17));
        assert_eq!(get(&direct, "kind").as_string().as_deref(), Some("table"));
        assert_eq!(hex(get(&direct, "va")), 0xffff_8880_0000_0000);
        assert!(hex(get(&direct, "raw")) & 1 == 1, "present");
        assert!(hex(get(&direct, "target")) > 0);
        assert_eq!(
            error_name(
                pg.describe(None, 100_000)
                    .expect_err("beyond the kernel half")
            ),
            "BadAddress"
        );
        assert!(pg
            .ptdump(None, None)
            .expect("ptdump")
            .contains("Kernel Space"));
        let history = parsed(pg.history());
        assert_eq!(
            get(&Reflect::get_u32(&history, 0).unwrap(), "op")
                .as_string()
                .as_deref(),
            Some("fork")
        );
    }

    #[wasm_bindgen_test]
    fn state_hashes_equal_the_native_ones() {
        for (i, run) in RUNS.iter().enumerate() {
            let mut pg = Playground::create(run.config).expect("config boots");
            for op in run.ops {
                pg.apply(op)
                    .unwrap_or_else(|e| panic!("run {i}, {op}: {e:?}"));
            }
            assert_eq!(
                pg.state_hash(),
                run.hash,
                "run {i}: wasm differs from native"
            );
            // The same run through its scenario text ends in the same state.
            let again = Playground::from_scenario(&pg.scenario_text()).expect("scenario text");
            assert_eq!(again.state_hash(), run.hash, "run {i}: replayed from text");
            // Step back to the start, forward to the end: the same state again.
            let before = pg.state_hash();
            while pg.step_back() {}
            assert!(pg.can_step_forward() && !pg.can_step_back());
            while pg.step_forward() {}
            assert_eq!(pg.state_hash(), before, "run {i}: back then forward");
            // A seek to the start and back, and one past the end (clamped).
            let n = run.ops.len();
            assert_eq!(pg.seek(0), 0);
            assert!(pg.can_step_forward() && !pg.can_step_back());
            assert_eq!(pg.seek(n + 3), n);
            assert_eq!(pg.state_hash(), before, "run {i}: seek to 0 and back");
        }
    }
}
