//! The engine cuts a tour into the steps the page's JavaScript cut it into before it used
//! the engine: `tour_steps.json` holds what `splitTour` (www/src/lib/tour.js) gave for
//! every tour of the time and for edge cases, generated once by running it in Node. Every
//! tour of today is cut, asks questions that all offer choices with an answer among
//! them, and every step's expectations are in words.

use serde_json::Value;
use vmsync::script::{parse, to_text, tour_steps, TourStep};

#[path = "support/scenario_files.rs"]
mod support;

/// The fields `splitTour` gave, from an engine step.
fn as_split_tour(s: &TourStep) -> Value {
    serde_json::json!({
        "say": s.say, "ask": s.ask, "lines": s.lines, "end": s.end, "start": s.start,
    })
}

#[test]
fn steps_are_what_split_tour_gave() {
    let fixture: Value =
        serde_json::from_str(include_str!("tour_steps.json")).expect("tour_steps.json");
    let cases = fixture["cases"].as_array().unwrap();
    assert!(cases.len() >= 20, "{} cases", cases.len());
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let tour =
            tour_steps(c["text"].as_str().unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(tour.title, c["title"].as_str().unwrap(), "{name}: title");
        let got: Vec<Value> = tour.steps.iter().map(as_split_tour).collect();
        assert_eq!(&Value::Array(got), &c["steps"], "{name}: steps");
        // No choices were written then.
        assert!(tour
            .steps
            .iter()
            .all(|s| s.choices.is_empty() && s.answer.is_none()));
    }
}

#[test]
fn every_tour_of_today_is_cut_and_every_question_answered() {
    let tours: Vec<_> = support::scenario_files()
        .into_iter()
        .filter(|f| f.parent().is_some_and(|d| d.ends_with("www/scenarios")))
        .collect();
    assert!(tours.len() >= 10, "{} tours", tours.len());
    for f in tours {
        let text = std::fs::read_to_string(&f).unwrap();
        let tour = tour_steps(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert!(!tour.title.is_empty(), "{}: a title", f.display());
        assert!(tour.steps.len() >= 2, "{}: steps", f.display());
        assert!(
            tour.steps.iter().any(|s| s.ask.is_some()),
            "{}: a tour asks at least one question",
            f.display()
        );
        for s in &tour.steps[..tour.steps.len() - 1] {
            assert!(
                !s.say.is_empty() || s.ask.is_some(),
                "{}: a silent step",
                f.display()
            );
        }
        for s in &tour.steps {
            let checks = s.lines.iter().filter(|l| l.starts_with("expect")).count();
            assert_eq!(s.expectations.len(), checks, "{}", f.display());
            if let Some(a) = &s.answer {
                assert!(s.choices.contains(a), "{}: {a}", f.display());
            }
            // Every question offers choices, so the engine can mark a prediction.
            if s.ask.is_some() {
                assert!(
                    s.answer.is_some(),
                    "{}: {:?} offers no choices",
                    f.display(),
                    s.ask
                );
            }
        }
    }
}

#[test]
fn choices_are_read_printed_and_refused_out_of_place() {
    let text = "config mode=pae\nfork A\nask What now?\n# between\nchoices translated |oops|  stale\naccess A 0xe0800000\nexpect outcome oops\n";
    let sc = parse(text).unwrap();
    let again = parse(&to_text(&sc)).unwrap();
    assert_eq!(sc.steps, again.steps);
    assert!(to_text(&sc).contains("\nchoices translated | oops | stale\n"));
    let json = vmsync::json_out::to_json(&sc.steps[2]);
    assert_eq!(json, r#"{"choices":["translated","oops","stale"]}"#);
    let cases = [
        ("config mode=pae\nchoices a | b\n", "line 2, column 1"),
        (
            "config mode=pae\nfork A\n  choices a | b\n",
            "line 3, column 3",
        ),
        (
            "config mode=pae\nask Q?\nfork A\nchoices a | b\n",
            "line 4, column 1",
        ),
        (
            "config mode=pae\nask Q?\nchoices a | b\nchoices c | d\n",
            "line 4, column 1",
        ),
        (
            "config mode=pae\nask Q?\nchoices a |  | b\n",
            "line 3, column 12",
        ),
        (
            "config mode=pae\nask Q?\nchoices a | b | a\n",
            "line 3, column 17",
        ),
        (
            "config mode=pae\nask Q?\nchoices only\n",
            "line 3, column 13",
        ),
        ("config mode=pae\nask Q?\nchoices\n", "line 3, column 8"),
    ];
    for (text, want) in cases {
        let e = parse(text).unwrap_err();
        assert_eq!(e.kind.name(), "ScriptError");
        assert!(e.message.starts_with(want), "{text:?}: {}", e.message);
    }
    // A JSON scenario whose choices no line could say is refused too.
    let bad = r#"{"config":{"mode":"pae"},"steps":[{"ask":"Q?"},{"choices":["a|b","c"]}]}"#;
    assert!(vmsync::script::Scenario::from_json(bad).is_err());
}

#[test]
fn expectations_in_words() {
    let words: Vec<String> = [
        "expect outcome fault-fixed",
        "expect outcome stale",
        "expect divergence A missing 1",
        "expect divergence B stale 2",
        "expect metric entries_copied 64",
        "expect error BadSize",
        "expect table-bytes A 36K   # a comment",
    ]
    .iter()
    .map(|l| vmsync::script::parse_expect_line(l).unwrap().words())
    .collect();
    assert_eq!(
        words,
        [
            "the access faults, and the fault is fixed up",
            "the access goes through a stale entry",
            "A has 1 slot missing",
            "B has 2 slots stale",
            "entries copied = 64",
            "the operation is refused (BadSize)",
            "page-table bytes of A = 36K",
        ]
    );
    let e = vmsync::script::parse_expect_line("expect metric nonsense 1").unwrap_err();
    assert!(e.message.starts_with("line 1, column 15"), "{}", e.message);
    assert!(vmsync::script::parse_expect_line("fork A").is_err());
}
