//! The table of kernel behaviours, tested as data: `tests/eras.table` holds one line per
//! era (and building block), mode, PTI setting and kernel event, with the reaction the
//! row must have. Every era is listed in every mode with its default PTI, so a change to
//! any row shows in the diff. `UPDATE_EXPECT=1 cargo test --test eras` rewrites the file
//! from the engine; review the diff against docs/kernel-history.md before committing it.

use std::collections::BTreeSet;
use vmsync::config::{Era, Policy, Strategy};
use vmsync::era::EVENTS;
use vmsync::Mode;

const TABLE: &str = "tests/eras.table";

/// The rows the table must hold: every era in every mode with its default PTI (on where
/// the mode has it), PAE and x86-64 with PTI off too, and every building block in the
/// modes it fits.
fn cases() -> Vec<(Policy, Mode, bool)> {
    let mut v = Vec::new();
    for e in Era::ALL {
        for m in Mode::ALL {
            v.push((Policy::Era(e), m, m != Mode::X86_32));
            if matches!(m, Mode::Pae | Mode::X86_64) {
                v.push((Policy::Era(e), m, false));
            }
        }
    }
    for s in Strategy::ALL {
        for m in Mode::ALL {
            let pti = m != Mode::X86_32 && s != Strategy::SharedPmd;
            if s.unfit(m, pti).is_none() {
                v.push((Policy::Strategy(s), m, pti));
            }
        }
    }
    v
}

fn key(p: Policy, m: Mode, pti: bool, event: &str) -> String {
    format!(
        "{:<18} {:<7} pti={:<3} {:<16}",
        p.name(),
        m.name(),
        if pti { "on" } else { "off" },
        event
    )
}

fn render() -> String {
    let mut out = String::from(
        "# policy          mode    pti     event            => reaction (see docs/kernel-history.md)\n",
    );
    for (p, m, pti) in cases() {
        for (event, words) in p.behaviour(m, pti).reactions(m, pti) {
            out.push_str(&format!("{} => {words}\n", key(p, m, pti, event)));
        }
    }
    out
}

#[test]
fn every_row_reacts_as_the_table_says() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(TABLE);
    let want = render();
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    let mut bad = Vec::new();
    let have_lines: BTreeSet<&str> = have.lines().filter(|l| !l.starts_with('#')).collect();
    let want_lines: BTreeSet<&str> = want.lines().filter(|l| !l.starts_with('#')).collect();
    for l in want_lines.difference(&have_lines) {
        bad.push(format!("engine: {l}"));
    }
    for l in have_lines.difference(&want_lines) {
        bad.push(format!("table:  {l}"));
    }
    assert!(
        bad.is_empty(),
        "{TABLE} and the engine disagree (UPDATE_EXPECT=1 rewrites it):\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_table_covers_every_event_of_every_row() {
    let n = cases().len() * EVENTS.len();
    let text = render();
    let rows = || text.lines().filter(|l| !l.starts_with('#'));
    assert_eq!(rows().count(), n);
    // Each (row, event) appears exactly once.
    let keys: BTreeSet<&str> = rows()
        .filter_map(|l| l.split_once(" => ").map(|(k, _)| k))
        .collect();
    assert_eq!(keys.len(), n);
}

#[test]
fn every_release_has_an_era_and_old_names_keep_working() {
    let cases = [
        ("era:4.4", "era:5.2"),
        ("era:4.19", "era:5.2"),
        ("era:5.2", "era:5.2"),
        ("era:<=5.2", "era:5.2"),
        ("era:5.3", "era:5.3"),
        ("era:5.7", "era:5.3"),
        ("era:<=5.7", "era:5.3"),
        ("era:5.8", "era:5.8"),
        ("era:5.9", "era:5.9"),
        ("era:6.1", "era:5.9"),
        ("era:6.14", "era:5.9"),
        ("era:6.15", "era:6.15"),
        ("era:6.16", "era:6.16"),
        ("era:6.17", "era:6.17"),
        ("era:6.18", "era:6.17"),
        ("era:2025", "era:6.17"),
        ("lazy", "lazy"),
        ("prealloc+tracked", "prealloc+tracked"),
    ];
    for (given, canonical) in cases {
        assert_eq!(Policy::parse(given).unwrap().name(), canonical, "{given}");
    }
    for bad in [
        "era:",
        "era:2.6",
        "era:5",
        "era:five.two",
        "era:5.2.1",
        "sometimes",
    ] {
        let e = Policy::parse(bad).unwrap_err();
        assert_eq!(e.kind.name(), "InvalidConfig", "{bad}");
        assert!(e.message.contains("era:5.2"), "{bad}: {}", e.message);
    }
}
