//! Data-driven tests: every scenario file (the engine's in tests/scenarios, and the
//! guided tours in www/scenarios) runs, and every `expect` line in it must hold.

use vmsync::script::{parse, to_text, Session, Step};

#[path = "support/scenario_files.rs"]
mod support;
use support::scenario_files;

#[test]
fn every_scenario_holds() {
    let files = scenario_files();
    assert!(
        files.len() >= 15,
        "found only {} scenario files",
        files.len()
    );
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let sc = parse(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let expects = sc
            .steps
            .iter()
            .filter(|s| matches!(s, Step::Expect(_)))
            .count();
        assert!(expects > 0, "{} asserts nothing", f.display());
        if let Err(e) = Session::from_text(&text) {
            failures.push(format!("{}: {e}", f.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn text_and_json_round_trip() {
    for f in scenario_files() {
        let text = std::fs::read_to_string(&f).unwrap();
        let a = parse(&text).unwrap();
        let b = parse(&to_text(&a)).unwrap();
        assert_eq!(a.config, b.config, "{}", f.display());
        assert_eq!(a.steps, b.steps, "{}", f.display());
        let json = vmsync::json_out::to_json(&a);
        let c = vmsync::script::Scenario::from_json(&json).unwrap();
        assert_eq!(a.steps, c.steps, "{}", f.display());
    }
}

#[test]
fn a_failing_expectation_is_reported_with_its_line() {
    let text =
        "config mode=pae strategy=lazy\nfork A\nallocate a 4K\nexpect divergence A missing 0\n";
    let e = Session::from_text(text).unwrap_err();
    assert_eq!(e.kind.name(), "ExpectationFailed");
    assert!(e.message.starts_with("line 4:"), "{}", e.message);
    assert!(e.message.contains("found 1"), "{}", e.message);
}

#[test]
fn parse_errors_have_line_and_column() {
    let cases = [
        ("fork A\n", "line 1, column 1"),
        ("config mode=pae\nallocate buf\n", "line 2, column 13"),
        ("config mode=pae\nallocate buf 12Q\n", "line 2, column 14"),
        ("config mode=pae\n  frob\n", "line 2, column 3"),
        ("config mode=pae\nsync sideways\n", "line 2, column 6"),
        ("config mode=pae split=3G_OPT\n", "line 1, column 1"),
        ("config mode=pae colour=red\n", "line 1, column 17"),
        (
            "config mode=pae\nexpect metric nonsense 1\n",
            "line 2, column 15",
        ),
        ("config mode=pae\nfork 9lives\n", "line 2, column 6"),
        ("config mode=pae\naccess A buf+zz\n", "line 2, column 10"),
    ];
    for (text, want) in cases {
        let e = parse(text).unwrap_err();
        assert_eq!(e.kind.name(), "ScriptError");
        assert!(e.message.starts_with(want), "{text:?}: {}", e.message);
        // The same position as fields, for a front end to mark the line and column.
        assert_eq!(
            format!("line {}, column {}", e.line.unwrap(), e.column.unwrap()),
            want,
            "{text:?}"
        );
    }
}

#[test]
fn run_errors_carry_their_line() {
    // A refused operation and a failed expectation are placed on their own line (the
    // parser knows no column for them).
    let cases = [
        ("config mode=pae\nfork A\n\nexit B\n", "UnknownProcess", 4),
        (
            "config mode=pae\nfork A\nexpect metric oopses 2\n",
            "ExpectationFailed",
            3,
        ),
    ];
    for (text, kind, line) in cases {
        let e = Session::from_text(text).unwrap_err();
        assert_eq!(
            (e.kind.name(), e.line, e.column),
            (kind, Some(line), None),
            "{text:?}"
        );
        assert!(
            e.message.starts_with(&format!("line {line}: ")),
            "{}",
            e.message
        );
    }
}

#[test]
fn step_records_are_what_each_operation_reported() {
    let text = "config mode=pae strategy=era:5.3\nfork A\nallocate buf 64K\naccess A buf\nfork B\nunmap buf\nexit A\n";
    let whole = Session::from_text(text).unwrap();
    let mut by_hand = Session::new(whole.config().clone()).unwrap();
    assert_eq!(by_hand.boot_sample(), whole.boot_sample());
    for (i, op) in whole.history().to_vec().into_iter().enumerate() {
        let r = by_hand.apply(op).unwrap();
        let rec = whole.record(i).unwrap();
        assert_eq!(rec.result, r, "step {i}");
        // The sample is the running totals after the step.
        let m = by_hand.metrics();
        let bytes: u32 = by_hand
            .process_stats()
            .chunks(vmsync::script::PROCESS_STAT_FIELDS)
            .map(|row| row[6])
            .sum();
        assert_eq!(
            rec.sample.to_array(),
            [
                m.entries_copied,
                m.directories_visited,
                m.faults_fixed + m.oopses,
                u64::from(bytes)
            ],
            "step {i}"
        );
    }
    // Stepping back keeps every record; applying after a step back replaces the tail.
    let mut s = whole.clone();
    s.seek(2);
    assert_eq!(s.record(5), whole.record(5));
    s.apply(vmsync::script::ScriptOp::Fork { name: "C".into() })
        .unwrap();
    assert!(s.record(3).is_none());
    assert_ne!(s.record(2), whole.record(2));
}

#[test]
fn the_timeline_text_keeps_the_steps_after_the_cursor() {
    let text = "config mode=pae strategy=lazy\nfork A\nallocate buf 64K\naccess A buf\n";
    let mut s = Session::from_text(text).unwrap();
    let whole = s.timeline_text();
    assert_eq!(s.seek(1), 1);
    assert_eq!(s.timeline_text(), whole, "stepping back keeps the timeline");
    assert!(
        s.scenario_text().len() < whole.len(),
        "the applied part is shorter"
    );
    // Reopening the whole timeline and seeking lands in the same state.
    let mut again = Session::from_text(&whole).unwrap();
    assert_eq!(again.seek(1), 1);
    assert_eq!(again.state_hash(), s.state_hash());
    assert_eq!(again.timeline_text(), whole);
}

#[test]
fn process_stats_agree_with_processes() {
    use vmsync::script::PROCESS_STAT_FIELDS;
    let s = Session::from_text(
        "config mode=pae strategy=lazy\nfork A\nallocate a 4K\nfork C\nmap io 0xfe000000 2M\nfork B\nexit B\n",
    )
    .unwrap();
    let stats = s.process_stats();
    let procs = s.processes();
    assert_eq!(s.process_names(), ["A", "C"]);
    assert_eq!(stats.len(), procs.len() * PROCESS_STAT_FIELDS);
    for (row, p) in stats.chunks(PROCESS_STAT_FIELDS).zip(&procs) {
        let d = &p.divergence;
        assert_eq!(
            row,
            [
                p.pid,
                d.same,
                d.missing,
                d.stale,
                d.different,
                d.private,
                p.table_bytes as u32
            ]
        );
    }
    // A has missed both mappings, C only the ioremap.
    assert_eq!(stats[2], 2);
    assert_eq!(stats[PROCESS_STAT_FIELDS + 2], 1);
}

/// Every era boundary is shown by a pair of scenario files: `boundary-NAME.before.vms`
/// and `boundary-NAME.after.vms` run the same operations under two consecutive eras (the
/// configurations differ in the strategy alone), and each pair of consecutive eras has
/// at least one such pair.
#[test]
fn every_era_boundary_has_a_before_and_after_pair() {
    use vmsync::config::{Era, Policy};
    use vmsync::script::Step;
    let ops = |sc: &vmsync::script::Scenario| -> Vec<String> {
        sc.steps
            .iter()
            .filter_map(|s| match s {
                Step::Op(op) => Some(vmsync::script::op_text(op)),
                _ => None,
            })
            .collect()
    };
    let era_of = |sc: &vmsync::script::Scenario| match sc.config.to_config().unwrap().strategy {
        Policy::Era(e) => e,
        p => panic!("a boundary scenario names an era, not {}", p.name()),
    };
    let mut covered = std::collections::BTreeSet::new();
    for before in scenario_files() {
        let name = before.file_name().unwrap().to_string_lossy().to_string();
        let Some(stem) = name.strip_suffix(".before.vms") else {
            continue;
        };
        let after = before.with_file_name(format!("{stem}.after.vms"));
        let (a, b) = (
            parse(&std::fs::read_to_string(&before).unwrap()).unwrap(),
            parse(&std::fs::read_to_string(&after).unwrap()).unwrap(),
        );
        assert_eq!(
            ops(&a),
            ops(&b),
            "{stem}: the two sides run other operations"
        );
        let (mut ca, mut cb) = (a.config.clone(), b.config.clone());
        ca.strategy = None;
        cb.strategy = None;
        assert_eq!(
            ca, cb,
            "{stem}: the configurations differ beyond the strategy"
        );
        let (ea, eb) = (era_of(&a), era_of(&b));
        let i = Era::ALL.iter().position(|e| *e == ea).unwrap();
        assert_eq!(
            Era::ALL.get(i + 1),
            Some(&eb),
            "{stem}: not consecutive eras"
        );
        covered.insert(i);
    }
    for (i, pair) in Era::ALL.windows(2).enumerate() {
        assert!(
            covered.contains(&i),
            "no boundary scenario shows era:{} -> era:{}",
            pair[0].name(),
            pair[1].name()
        );
    }
}

#[test]
fn a_point_line_names_a_table_and_a_slot() {
    let text = "config mode=pae strategy=era:5.3\nfork A\nallocate buf 64K\npoint A buf\nsay here\npoint reference\n";
    let sc = parse(text).unwrap();
    // Printed back as written, and ignored when the scenario runs.
    assert!(vmsync::script::to_text(&sc).contains("point A buf\nsay here\npoint reference\n"));
    let s = Session::from_text(text).unwrap();
    let slot = s.kernel_slot_of("buf").unwrap();
    let va = s.resolve("buf").unwrap();
    let l = s.machine().layout();
    assert_eq!(l.first_kernel_slot() + slot, l.slot_of(va));
    assert_eq!(
        s.kernel_slot_of("0x1000").unwrap_err().kind.name(),
        "BadAddress"
    );
    let steps = vmsync::script::tour_steps(text).unwrap().steps;
    let p = steps[0].point.as_ref().expect("the step's point");
    assert_eq!((p.process.as_str(), p.addr.as_deref()), ("A", Some("buf")));
    for (bad, col) in [
        ("point\n", 1),
        ("point 9x\n", 7),
        ("point A b c\n", 1),
        ("point A +\n", 9),
    ] {
        let e = parse(&format!("config mode=pae\n{bad}")).unwrap_err();
        assert_eq!(
            (e.line, e.column),
            (Some(2), Some(col)),
            "{bad:?}: {}",
            e.message
        );
    }
}
