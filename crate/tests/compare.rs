//! One scenario under every era: the comparison equals what each era's own run gives,
//! operation by operation, and its first parting row is where two columns first differ.

use std::path::Path;
use vmsync::compare::{compare, default_policies};
use vmsync::config::{Era, Policy};
use vmsync::machine::Value;
use vmsync::script::{parse, Session, Step};

#[path = "support/scenario_files.rs"]
mod support;
use support::scenario_files;

#[test]
fn every_column_is_that_policys_own_run() {
    let files = scenario_files();
    assert!(files.len() > 30, "{} files", files.len());
    for f in files {
        let sc = parse(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let policies = default_policies(&sc).unwrap();
        assert!(policies.len() >= Era::ALL.len());
        let c = compare(&sc, &policies).unwrap();
        let ops: Vec<_> = sc
            .steps
            .iter()
            .filter_map(|s| match s {
                Step::Op(op) => Some(op.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(c.rows.len(), ops.len(), "{}", f.display());
        for (p, col) in policies.iter().zip(&c.columns) {
            assert_eq!(col.policy, p.name());
            let mut cfg = sc.config.to_config().unwrap();
            cfg.strategy = *p;
            let Ok(mut s) = Session::new(cfg) else {
                assert!(col.refused.is_some(), "{}: {}", f.display(), col.policy);
                continue;
            };
            for (i, op) in ops.iter().enumerate() {
                let cell = &col.cells[i];
                let what = format!("{} {} row {i}", f.display(), col.policy);
                match s.apply(op.clone()) {
                    Err(_) => assert_eq!(cell.outcome, "refused", "{what}"),
                    Ok(r) => {
                        if let Value::Access(a) = &r.value {
                            assert_eq!(cell.outcome, a.outcome.name(), "{what}");
                        } else {
                            assert_ne!(cell.outcome, "refused", "{what}");
                        }
                    }
                }
                let drift: u64 = s.processes().iter().map(|p| p.divergence.divergent()).sum();
                assert_eq!(cell.drift, drift, "{what}");
                let m = s.metrics();
                assert_eq!(
                    (
                        cell.entries_copied,
                        cell.directories_visited,
                        cell.faults_fixed
                    ),
                    (m.entries_copied, m.directories_visited, m.faults_fixed),
                    "{what}"
                );
                assert_eq!((cell.oopses, cell.bugs), (m.oopses, m.bugs), "{what}");
                assert_eq!(cell.table_bytes, s.machine().total_table_bytes(), "{what}");
            }
        }
        let live: Vec<_> = c.columns.iter().filter(|c| c.refused.is_none()).collect();
        let first = (0..c.rows.len()).find(|&i| {
            live.iter().any(|a| {
                (a.cells[i].outcome.as_str(), a.cells[i].drift)
                    != (live[0].cells[i].outcome.as_str(), live[0].cells[i].drift)
            })
        });
        assert_eq!(c.first_parting, first, "{}", f.display());
    }
}

#[test]
fn the_stale_huge_pmd_parts_the_eras_where_the_mail_says() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../www/scenarios/stale-huge-pmd.vms"),
    )
    .unwrap();
    let sc = parse(&text).unwrap();
    let c = compare(&sc, &default_policies(&sc).unwrap()).unwrap();
    let col = |p: &str| c.columns.iter().find(|c| c.policy == p).unwrap();
    let row = |op: &str| c.rows.iter().position(|r| r.op == op).unwrap();
    // 5.8 syncs the huge PMD at once; up to 5.7 it waits: the first parting is the map.
    assert_eq!(c.first_parting, Some(row("map io 0xfe000000 2M")));
    let io2 = row("access A io2");
    assert_eq!(col("era:5.2").cells[io2].outcome, "stale");
    assert_eq!(col("era:5.3").cells[io2].outcome, "fault-fixed");
    assert_eq!(col("era:5.8").cells[io2].outcome, "translated");
    // The last sync: BUG_ON up to 5.2, a clean pass in 5.3, no such call from 5.8.
    let last = c.rows.len() - 1;
    assert_eq!(col("era:5.2").cells[last].outcome, "bug");
    assert_eq!(col("era:5.3").cells[last].outcome, "ok");
    assert_eq!(col("era:6.17").cells[last].outcome, "refused");
    let text = c.to_text();
    assert!(text.contains("* the policies part first at line"), "{text}");
}

#[test]
fn a_block_that_does_not_fit_the_mode_is_reported_in_its_column() {
    let sc = parse("config mode=pae\nfork A\nallocate a 4K\n").unwrap();
    let policies = [
        Policy::parse("prealloc").unwrap(),
        Policy::parse("era:5.8").unwrap(),
    ];
    let c = compare(&sc, &policies).unwrap();
    let refused = c.columns[0].refused.as_deref().unwrap();
    assert!(refused.contains("64-bit only"), "{refused}");
    assert!(c.columns[0].cells.is_empty());
    assert_eq!(c.columns[1].cells.len(), 2);
    assert!(c.to_text().contains("prealloc: not run:"));
}
