//! A guided tour cut into the steps a tour player shows: [`tour_steps`].
//!
//! Tours are written as operations followed by the `say` lines that explain their result
//! (and `expect` lines that check it); a step is such a run. An `ask` line opens a
//! checkpoint of its own: the question is shown on the state so far, and the reveal runs
//! the lines after it up to and including the narration that answers it. The `choices`
//! line after an `ask` offers answers; the right one is not written by hand but read from
//! the reveal's `expect` lines, so the engine's own check marks every prediction.
//!
//! The state at a step is the scenario's text up to the end of that step, run from the
//! start, so a tour replays the same way every time, forwards or backwards. Only line
//! counts are given here; cutting the text is the caller's.

use super::parse::{parse, script_err};
use super::{Expect, Step, TextStep};
use crate::error::Result;

/// A tour: its title and its steps.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Tour {
    /// The first comment line with text that comes before the first operation or
    /// expectation, without its `#`s (empty when there is none).
    pub title: String,
    /// The steps, at least one.
    pub steps: Vec<TourStep>,
}

/// One step of a tour.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct TourStep {
    /// Narration (the `say` lines' text); for a checkpoint, the narration that answers it.
    pub say: Vec<String>,
    /// The question, for a checkpoint.
    pub ask: Option<String>,
    /// The answers the question offers (its `choices` line), or none.
    pub choices: Vec<String>,
    /// The right one of `choices`: the value of the first `expect` line of the reveal
    /// that is one of them (see [`tour_steps`]); `None` without choices.
    pub answer: Option<String>,
    /// The other lines of the step (operations and expectations), as written (trimmed,
    /// comments kept); for a checkpoint, operations not yet narrated before the question
    /// and the lines its reveal runs.
    pub lines: Vec<String>,
    /// The step's `expect` lines in words ([`Expect::words`]), in order.
    pub expectations: Vec<String>,
    /// Where the narration looks (the step's first `point` line), if anywhere.
    pub point: Option<TourPoint>,
    /// Source lines before the reveal of a checkpoint (through its `ask` and `choices`
    /// lines: the state while the question is open); equal to `end` for narration.
    pub start: usize,
    /// Source lines up to the end of this step (the state it shows).
    pub end: usize,
}

/// Where a step's narration looks: a table, and optionally an address in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct TourPoint {
    /// A process name, or `reference`.
    pub process: String,
    /// An address as `access` takes it.
    pub addr: Option<String>,
}

/// Where the step being built is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Collecting operations.
    Ops,
    /// After narration: expectations may follow, an operation starts the next step.
    Said,
    /// After a question: collecting what the reveal runs.
    Reveal,
}

/// The step being built, with what its answer is looked up in.
#[derive(Default)]
struct Building {
    step: TourStep,
    /// The line and column of the `choices` line.
    choices_at: (usize, usize),
    /// The line of the `ask`.
    ask_line: usize,
    /// Each `expect` of the step with its line.
    checks: Vec<(usize, Expect)>,
}

/// Cuts a tour's text into steps.
///
/// The text must be a scenario the engine reads ([`parse`]). Blank lines, comments and
/// the `config` line belong to no step. A run of operations (and expectations) followed
/// by `say` lines (and the expectations after them) is one step; the next operation
/// starts the next. An `ask` closes a step that has narration, or a previous question,
/// and opens a checkpoint: the operations before it that no narration explained yet run
/// before the question is shown. A file without narration is one step.
///
/// A checkpoint's `answer` is the value of the first `expect` line after its `ask` (in
/// the reveal) whose value is one of its choices: the outcome of `expect outcome O`, the
/// number of `expect metric NAME N` and `expect divergence P CLASS N`, and the size of
/// `expect table-bytes WHO SIZE` as written.
///
/// # Errors
/// The errors of [`parse`]; `ScriptError` at a `choices` line when no `expect` line of
/// the reveal has one of its choices as its value.
pub fn tour_steps(text: &str) -> Result<Tour> {
    let sc = parse(text)?;
    // The statement of each source line, in order (the lines with none are blank,
    // comments or the config line).
    let mut statements = sc.lines.iter().copied().zip(&sc.steps).peekable();
    let mut title = String::new();
    let mut steps: Vec<TourStep> = Vec::new();
    let mut cur = Building::default();
    let mut phase = Phase::Ops;
    for (i, raw) in text.lines().enumerate() {
        let ln = i + 1;
        let line = js_trim(raw);
        if title.is_empty() && steps.is_empty() && cur.step.lines.is_empty() {
            if let Some(t) = title_of(line) {
                title = t.to_string();
            }
        }
        let Some((_, st)) = statements.next_if(|&(l, _)| l == ln) else {
            continue;
        };
        match st {
            Step::Text(TextStep::Ask(q)) => {
                // The question is asked on the state so far: operations not yet narrated
                // run first.
                if phase == Phase::Said || cur.step.ask.is_some() {
                    close(&mut steps, &mut cur)?;
                }
                cur.step.ask = Some(q.clone());
                cur.step.start = ln;
                cur.step.end = ln;
                cur.ask_line = ln;
                phase = Phase::Reveal;
            }
            Step::Text(TextStep::Choices(c)) => {
                cur.step.choices = c.clone();
                cur.step.start = ln;
                cur.step.end = ln;
                cur.choices_at = (ln, raw.len() - raw.trim_start().len() + 1);
            }
            Step::Text(TextStep::Point { process, addr }) => {
                // A step looks at one place: its first `point` line.
                if cur.step.point.is_none() {
                    cur.step.point = Some(TourPoint {
                        process: process.clone(),
                        addr: addr.clone(),
                    });
                }
            }
            Step::Text(TextStep::Say(t)) => {
                cur.step.say.push(t.clone());
                cur.step.end = ln;
                phase = Phase::Said;
            }
            Step::Expect(e) => {
                cur.step.lines.push(line.to_string());
                cur.step.expectations.push(e.words());
                cur.checks.push((ln, e.clone()));
                cur.step.end = ln;
            }
            Step::Op(_) => {
                // An operation after narration starts the next step.
                if phase == Phase::Said {
                    close(&mut steps, &mut cur)?;
                    phase = Phase::Ops;
                }
                cur.step.lines.push(line.to_string());
                cur.step.end = ln;
            }
        }
    }
    close(&mut steps, &mut cur)?;
    if steps.is_empty() {
        // As many lines as the text has line ends, plus one.
        let n = text.split('\n').count();
        steps.push(TourStep {
            start: n,
            end: n,
            ..TourStep::default()
        });
    }
    Ok(Tour { title, steps })
}

/// Ends the step being built (when it holds anything) and starts an empty one.
fn close(steps: &mut Vec<TourStep>, cur: &mut Building) -> Result<()> {
    let mut b = std::mem::take(cur);
    let s = &mut b.step;
    if s.say.is_empty() && s.ask.is_none() && s.lines.is_empty() {
        return Ok(());
    }
    if s.ask.is_none() {
        s.start = s.end;
    }
    if !s.choices.is_empty() {
        s.answer = b
            .checks
            .iter()
            .filter(|(l, _)| *l > b.ask_line)
            .filter_map(|(_, e)| value(e))
            .find(|v| s.choices.contains(v));
        if s.answer.is_none() {
            let (ln, col) = b.choices_at;
            return Err(script_err(
                ln,
                col,
                format!(
                    "none of the choices ({}) is the value of an expect line in the answer to \
                     this question, so it could not be marked",
                    s.choices.join(" | ")
                ),
            ));
        }
    }
    steps.push(b.step);
    Ok(())
}

/// The value an expectation checks, as a choice names it: the outcome, the count, the
/// metric's value, the bytes as written; `expect error` has none.
fn value(e: &Expect) -> Option<String> {
    match e {
        Expect::Outcome { outcome } => Some(outcome.clone()),
        Expect::Divergence { count, .. } => Some(count.to_string()),
        Expect::Metric { value, .. } => Some(value.to_string()),
        Expect::TableBytes { bytes, .. } => Some(bytes.clone()),
        Expect::Error { .. } => None,
    }
}

/// A title comment's text: a line starting with `#` that has more than `#` and spaces
/// after its first `#`, without its leading `#`s and spaces.
fn title_of(line: &str) -> Option<&str> {
    let after = line.strip_prefix('#')?;
    if after.trim_start_matches(is_js_space).is_empty() {
        return None;
    }
    Some(line.trim_start_matches('#').trim_start_matches(is_js_space))
}

/// Whitespace as JavaScript's `trim()` and `\s` see it (Rust's differs in U+0085 and
/// U+FEFF), so that a tour written in JavaScript's terms is cut the same way.
fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

fn js_trim(s: &str) -> &str {
    s.trim_matches(is_js_space)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(text: &str) -> Vec<TourStep> {
        tour_steps(text).unwrap().steps
    }

    #[test]
    fn a_question_with_choices_is_answered_by_its_reveal() {
        let t = "config mode=pae strategy=era:5.3\nfork A\nallocate b 4K\n\
                 expect divergence A missing 1\nsay One missing.\nask A reads b?\n\
                 choices translated | fault-fixed | oops\naccess A b\nexpect outcome fault-fixed\n\
                 say Fixed.\n";
        let s = steps(t);
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].ask.as_deref(), Some("A reads b?"));
        assert_eq!(s[1].choices, ["translated", "fault-fixed", "oops"]);
        assert_eq!(s[1].answer.as_deref(), Some("fault-fixed"));
        // The question is open on the state through its choices line.
        assert_eq!((s[1].start, s[1].end), (7, 10));
        assert_eq!(
            s[1].expectations,
            ["the access faults, and the fault is fixed up"]
        );
        assert_eq!(s[0].answer, None);
        assert_eq!(s[0].expectations, ["A has 1 slot missing"]);
    }

    #[test]
    fn the_answer_is_the_first_check_after_the_question_that_is_a_choice() {
        // The divergence before the question is not part of the reveal; the count 0 after
        // it is not a choice; the metric 1 is.
        let t = "config mode=pae strategy=era:5.3\nfork A\nallocate b 4K\n\
                 expect divergence A missing 1\nask How many faults?\nchoices 1 | 2 | 3\n\
                 access A b\nexpect divergence A missing 0\nexpect metric faults_fixed 1\n\
                 expect table-bytes A 36K\nsay One.\n";
        assert_eq!(steps(t)[0].answer.as_deref(), Some("1"));
        let t = t.replace("choices 1 | 2 | 3", "choices 16K | 36K");
        assert_eq!(steps(&t)[0].answer.as_deref(), Some("36K"));
    }

    #[test]
    fn choices_that_no_check_gives_are_an_error_at_their_line() {
        let t = "config mode=pae strategy=era:5.3\nfork A\nallocate b 4K\nask A reads b?\n  \
                 choices translated | oops\naccess A b\nexpect outcome fault-fixed\nsay Fixed.\n";
        let e = tour_steps(t).unwrap_err();
        assert_eq!(e.kind.name(), "ScriptError");
        assert_eq!((e.line, e.column), (Some(5), Some(3)));
        assert!(
            e.message
                .starts_with("line 5, column 3: none of the choices (translated | oops)"),
            "{}",
            e.message
        );
        // A check before the question does not answer it.
        let t = "config mode=pae strategy=era:5.3\nfork A\nallocate b 4K\n\
                 expect divergence A missing 1\nask How many?\nchoices 1 | 2\nsay One.\n";
        assert_eq!(tour_steps(t).unwrap_err().line, Some(6));
    }

    #[test]
    fn a_bad_point_is_an_error_at_its_word() {
        // The column is where the word first occurs in the line, counted in bytes.
        for (line, col) in [
            ("point A! 0x1000", 7),
            ("  point  é! ", 10),
            ("point A 0xzz", 9),
            ("point A A!", 9),
        ] {
            let t = format!("config mode=pae strategy=era:5.3\nfork A\n{line}\n");
            let e = tour_steps(&t).unwrap_err();
            assert_eq!(
                (e.line, e.column),
                (Some(3), Some(col)),
                "{line}: {}",
                e.message
            );
        }
    }

    #[test]
    fn a_question_runs_the_unexplained_operations_first() {
        let t = "config mode=pae strategy=era:5.3\nfork A\nallocate b 4K\n\
                 expect divergence A missing 1\nsay One missing.\nfork B\nask A reads b?\n\
                 access A b\nexpect outcome fault-fixed\nsay Fixed.\n";
        let s = steps(t);
        assert_eq!(s.len(), 2);
        assert_eq!(
            s[1].lines,
            ["fork B", "access A b", "expect outcome fault-fixed"]
        );
        assert_eq!((s[1].start, s[1].end), (7, 10));
        assert_eq!(s[1].answer, None);
    }

    #[test]
    fn a_file_without_statements_is_one_empty_step() {
        let s = steps("# Title\nconfig mode=pae\n# more\n\n");
        assert_eq!(s.len(), 1);
        assert_eq!((s[0].start, s[0].end), (5, 5));
    }
}
