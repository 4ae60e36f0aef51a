//! vmsync: a kernel-faithful model of x86 kernel page tables across processes.
//!
//! The engine builds page tables the way Linux does for the reference table (`init_mm`)
//! and any number of processes, in the four x86 paging modes, and shows how and when the
//! kernel half of a process drifts from the reference under each synchronisation strategy
//! the kernel has used.
//!
//! Module map:
//! - [`mode`]: paging modes, levels, entry bits.
//! - [`catalog`]: the engine's vocabulary in one value, which the page builds its words
//!   from.
//! - [`compare`]: one scenario under several eras side by side, in one call.
//! - [`config`]: the machine configuration and its validation; sizes.
//! - [`era`]: the one table of kernel behaviours: a row per kernel era and per
//!   building-block strategy ([`era::Behaviour`]); the rows themselves are in `era_table`.
//! - [`layout`]: the kernel address-space layout, from the kernel's formulas.
//! - [`limits`]: the limits every input is held to, whichever front end it comes from.
//! - [`memory`]: frames and the page-table pages stored in them.
//! - [`machine`]: the reference, the processes, the operations and the strategies; split
//!   into tables, the vmalloc allocator, sync, divergence, operations, access and checks.
//! - [`event`]: events and metrics the operations report.
//! - [`ptdump`]: any table printed in the kernel's ptdump format.
//! - [`script`]: scenario files (grammar in docs/scenario-format.md): their data types,
//!   parsing and printing, and their JSON form.
//! - [`session`]: [`session::Session`], a machine driven by names, stepping back and
//!   forward through its history, and expectations (also [`script::Session`]).
//! - [`view`]: what the page and the CLI read of a session: processes, slots, the layout
//!   summary, table bytes.
//! - [`error`]: typed errors.
//! - `vec_map`: the engine's maps, a vector sorted by key (smaller in wasm than `BTreeMap`).
//! - [`json_out`]: the engine's own JSON writer, and every result's JSON form (addresses
//!   as `"0x…"` strings), for the page and the CLI.
//! - [`tree`]: what a step reports, described once as a tree, for both its writers.
//! - [`record`]: an operation's result as the page reads it, a tree of slots in wasm
//!   memory with no text to decode.
//!
//! The engine is pure Rust: it knows nothing of JavaScript. The wasm bindings live in
//! `wasm` (one `Playground` handle over a `Session`) and are compiled for wasm32 only.
//! docs/model.md says what the model follows exactly and what it simplifies.

#![warn(missing_docs)]

pub mod catalog;
pub mod compare;
pub mod config;
pub mod era;
mod era_table;
pub mod error;
pub mod event;
pub mod json_out;
pub mod layout;
pub mod limits;
pub mod machine;
pub mod memory;
pub mod mode;
pub mod ptdump;
pub mod record;
pub mod script;
pub mod session;
pub mod tree;
mod vec_map;
pub mod view;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use config::{Config, Split, Strategy};
pub use era::{Era, Policy};
pub use error::{Error, ErrorKind, Field, Result};
pub use layout::Layout;
pub use machine::{Access, Divergence, Machine, OpResult, Outcome, SyncKind, Value};
pub use mode::Mode;
