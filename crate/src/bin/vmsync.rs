//! The vmsync command-line tool: the kernel layout for a configuration, scenario runs,
//! ptdump of any table, and one scenario compared across the kernel eras, on the same
//! engine as the playground.
//!
//! Native only (clap is a native dependency): on wasm32 the file builds as an empty
//! program, because `cargo test --target wasm32-unknown-unknown --test wasm` builds every
//! binary of the package.
#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]

use clap::{Args, Parser, Subcommand};
use std::process::ExitCode;
use vmsync::json_out::{pretty, to_json, JsonOut, ToJson};
use vmsync::limits::excerpt;
use vmsync::machine::Value;
use vmsync::script::{
    op_text, parse, parse_switch, ConfigSpec, LayoutInfo, Session, Step, StepResult, TextStep,
};

#[derive(Parser)]
#[command(
    name = "vmsync",
    version,
    about = "x86 kernel page tables across processes, as Linux builds and syncs them"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the kernel address-space layout of a configuration.
    Layout {
        #[command(flatten)]
        config: ConfigFlags,
        /// Print JSON (addresses as hex strings).
        #[arg(long)]
        json: bool,
    },
    /// Run a scenario file, checking its expect lines.
    Run {
        /// The scenario file ("-" for standard input).
        file: String,
        /// Print every step's result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Run a scenario's operations under every kernel era (and its own strategy) and print
    /// each one's outcomes, drift and costs side by side.
    Compare {
        /// The scenario file ("-" for standard input).
        file: String,
        /// Compare these strategies or eras instead (repeat the flag), e.g. --sync era:5.2
        /// --sync era:5.3.
        #[arg(long = "sync")]
        strategies: Vec<String>,
        /// Print the comparison as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Run a scenario file and print a table in the kernel's ptdump format.
    Ptdump {
        /// The scenario file ("-" for standard input).
        file: String,
        /// The process whose table to print.
        #[arg(
            long,
            conflicts_with = "reference",
            required_unless_present = "reference"
        )]
        process: Option<String>,
        /// Print the reference table (init_mm).
        #[arg(long)]
        reference: bool,
        /// Only this kernel slot (index from the first kernel slot).
        #[arg(long)]
        slot: Option<usize>,
    },
}

#[derive(Args)]
struct ConfigFlags {
    /// Paging mode: x86-32, pae, x86-64, la57.
    #[arg(long, default_value = "pae")]
    mode: String,
    /// 32-bit split: 3G, 3G_OPT, 2G, 2G_OPT, 1G.
    #[arg(long)]
    split: Option<String>,
    /// Top of usable RAM (bytes, 0x hex, or K/M/G suffix).
    #[arg(long)]
    ram: Option<String>,
    /// The vmalloc= boot option (32-bit).
    #[arg(long)]
    vmalloc: Option<String>,
    /// Page-table isolation: on or off.
    #[arg(long)]
    pti: Option<String>,
    /// Huge ioremap: on or off.
    #[arg(long)]
    huge_ioremap: Option<String>,
    /// NR_CPUS.
    #[arg(long)]
    nr_cpus: Option<u32>,
    /// Sync strategy (a building block) or a kernel era: era:<release>, e.g. era:5.2, era:6.17.
    #[arg(long = "sync")]
    strategy: Option<String>,
}

fn on_off(flag: &str, v: &Option<String>) -> Result<Option<bool>, String> {
    v.as_deref()
        .map(|o| {
            parse_switch(o)
                .ok_or_else(|| format!("--{flag} takes on or off, not '{o}'", o = excerpt(o)))
        })
        .transpose()
}

impl ConfigFlags {
    fn spec(&self) -> Result<ConfigSpec, String> {
        Ok(ConfigSpec {
            mode: self.mode.clone(),
            split: self.split.clone(),
            ram: self.ram.clone(),
            vmalloc: self.vmalloc.clone(),
            pti: on_off("pti", &self.pti)?,
            huge_ioremap: on_off("huge-ioremap", &self.huge_ioremap)?,
            strategy: self.strategy.clone(),
            nr_cpus: self.nr_cpus,
        })
    }
}

fn read(file: &str) -> Result<String, String> {
    if file == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).map_err(|e| e.to_string())?;
        Ok(s)
    } else {
        std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))
    }
}

fn layout(flags: &ConfigFlags, json: bool) -> Result<(), String> {
    let cfg = flags.spec()?.to_config().map_err(|e| e.to_string())?;
    let session = Session::new(cfg).map_err(|e| e.to_string())?;
    let info = session.layout_info();
    if json {
        println!("{}", pretty(&to_json(&info)));
        return Ok(());
    }
    print_layout(&info, &session.config().strategy.name());
    Ok(())
}

fn print_layout(info: &LayoutInfo, strategy: &str) {
    println!(
        "mode {}   sync level {} ({} bytes per slot)   strategy {strategy}",
        info.mode, info.sync_level, info.slot_span
    );
    for r in &info.regions {
        println!("  {:>18} - {:>18}  {}", r.start, r.last, r.name);
    }
    println!("page_offset          {}", info.page_offset);
    println!("high_memory          {}", info.high_memory);
    println!("vmalloc_start        {}", info.vmalloc_start);
    println!("vmalloc_end          {}", info.vmalloc_end);
    if let Some(p) = &info.pkmap_base {
        println!("pkmap_base           {p}");
    }
    println!("fixaddr_start        {}", info.fixaddr_start);
    println!("cpu_entry_area_base  {}", info.cpu_entry_area_base);
    println!("ldt_base             {}", info.ldt_base);
    println!("kernel_sync_slots    {}", info.kernel_sync_slots);
    println!("vmalloc_sync_slots   {}", info.vmalloc_sync_slots);
    if let Some(e) = info.email_estimate_slots {
        println!("email_estimate_slots {e}   (kernel slots - direct map - 4 hole - 4 end)");
    }
    println!(
        "prealloc_bytes       {} ({} KiB)",
        info.prealloc_bytes,
        info.prealloc_bytes / 1024
    );
    println!("VmallocTotal         {} kB", info.vmalloc_total_kb);
}

fn run(file: &str, json: bool) -> Result<(), String> {
    let text = read(file)?;
    let sc = parse(&text).map_err(|e| format!("{file}: {e}"))?;
    let cfg = sc.config.to_config().map_err(|e| e.to_string())?;
    let mut session = Session::new(cfg).map_err(|e| e.to_string())?;
    // The JSON document, written as it goes: {steps: [{line, step, result}], processes,
    // metrics, kernel_table_bytes, state_hash}, addresses as "0x…" strings (as the page
    // reads them).
    let mut out = JsonOut::with_capacity(4096);
    out.raw("{\"steps\":[");
    for i in 0..sc.steps.len() {
        let line = sc.lines.get(i).copied().unwrap_or(i + 1);
        let r = session.step(&sc, i).map_err(|e| format!("{file}: {e}"))?;
        if !json {
            let what = match &sc.steps[i] {
                Step::Op(op) => op_text(op),
                Step::Text(TextStep::Say(t)) => format!("# {t}"),
                Step::Text(TextStep::Ask(t)) => format!("? {t}"),
                Step::Text(TextStep::Choices(c)) => format!("? {}", c.join(" | ")),
                Step::Text(TextStep::Point { process, addr }) => {
                    format!(
                        "→ {process}{}",
                        addr.as_ref().map(|a| format!(" {a}")).unwrap_or_default()
                    )
                }
                Step::Expect(_) => "expect: holds".into(),
            };
            let result = match &r {
                StepResult::Op(o) => summary(&o.value),
                StepResult::Refused(e) => format!("refused: {e}"),
                _ => String::new(),
            };
            println!("{line:>4}  {what:<44} {result}");
        }
        out.raw(if i == 0 { "{\"line\":" } else { ",{\"line\":" });
        out.u64(line as u64);
        out.raw(",\"step\":");
        sc.steps[i].write_json(&mut out);
        out.raw(",\"result\":");
        r.write_json(&mut out);
        out.raw("}");
    }
    if json {
        out.raw("],\"processes\":");
        session.processes().write_json(&mut out);
        out.raw(",\"metrics\":");
        session.metrics().write_json(&mut out);
        out.raw(",\"kernel_table_bytes\":");
        out.u64(session.machine().kernel_table_bytes());
        out.raw(",\"state_hash\":");
        out.str(&format!("{:#018x}", session.state_hash()));
        out.raw("}");
        println!("{}", pretty(&out.finish()));
    } else {
        let m = session.metrics();
        println!(
            "ok: {} steps; entries copied {}, directories visited {}, faults fixed {}, oopses {}, stale {}, bugs {}",
            sc.steps.len(),
            m.entries_copied,
            m.directories_visited,
            m.faults_fixed,
            m.oopses,
            m.stale_accesses,
            m.bugs
        );
    }
    Ok(())
}

fn summary(v: &Value) -> String {
    match v {
        Value::None => String::new(),
        Value::Address(a) => format!("-> {a:#x}"),
        Value::Pid(p) => format!("-> pid {p}"),
        Value::Access(a) => format!("-> {}", a.outcome.name()),
    }
}

fn ptdump(file: &str, process: Option<&str>, slot: Option<usize>) -> Result<(), String> {
    let text = read(file)?;
    let session = Session::from_text(&text).map_err(|e| format!("{file}: {e}"))?;
    let out = session.ptdump(process, slot).map_err(|e| e.to_string())?;
    print!("{out}");
    Ok(())
}

fn compare(file: &str, strategies: &[String], json: bool) -> Result<(), String> {
    let text = read(file)?;
    let sc = parse(&text).map_err(|e| format!("{file}: {e}"))?;
    let policies = if strategies.is_empty() {
        vmsync::compare::default_policies(&sc).map_err(|e| e.to_string())?
    } else {
        strategies
            .iter()
            .map(|s| vmsync::Policy::parse(s).map_err(|e| e.to_string()))
            .collect::<Result<Vec<_>, _>>()?
    };
    let c = vmsync::compare::compare(&sc, &policies).map_err(|e| format!("{file}: {e}"))?;
    if json {
        println!("{}", pretty(&to_json(&c)));
    } else {
        print!("{}", c.to_text());
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let r = match &cli.command {
        Command::Layout { config, json } => layout(config, *json),
        Command::Run { file, json } => run(file, *json),
        Command::Compare {
            file,
            strategies,
            json,
        } => compare(file, strategies, *json),
        Command::Ptdump {
            file,
            process,
            reference: _,
            slot,
        } => ptdump(file, process.as_deref(), *slot),
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vmsync: {e}");
            ExitCode::FAILURE
        }
    }
}
