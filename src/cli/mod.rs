//! The `tabletop` command line: the only module that prints to the terminal.
//!
//! Exit codes: 0 success; 1 a scenario or session is wrong (messages name file:line:col);
//! 2 usage errors; 3 a sweep's expectation failed or was inconclusive (`--expect`), so a
//! CSIRT's CI can tell a worse procedure from a broken command.
//!
//! Long because: the `Commands` enum is the whole command line's vocabulary, each
//! subcommand with its flags and their help text in one place (clap's derive), and each
//! dispatched to its own file here; the logic of every subcommand lives in that file.

mod branch;
mod export;
mod feedback;
mod generate;
mod msel;
mod replay;
mod report;
mod run;
mod serve;
mod signing;
mod sweep;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::generate::GenerateOptions;
use crate::scenario::{Duration, Tlp};

#[derive(Parser, Debug)]
#[command(
    name = "tabletop",
    version,
    about = "Deterministic crisis-exercise simulator for CSIRTs (NIS2 Art. 11)"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Commands>,
    /// Refuse data files (scenarios, sessions, command scripts, answers, shards) larger than
    /// this, e.g. 64M (the default) or 1G. Files come from other organisations: raise it
    /// only for one you trust.
    #[arg(long, global = true, value_name = "SIZE", value_parser = crate::files::parse_size)]
    max_file_size: Option<u64>,
}

#[derive(Subcommand, Debug)]
enum Commands {
    /// Load and check scenario files; report every problem with file:line:col.
    Validate {
        /// Scenario files (.ron).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Play a scenario headless to the end (or --until) and print a summary.
    Run {
        /// Scenario file (.ron).
        file: PathBuf,
        /// Seed of the run's random streams.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Stop after this much simulated time, e.g. "36h" or "2d 6h".
        #[arg(long, value_parser = parse_duration)]
        until: Option<Duration>,
        /// Write the journal (JSON Lines, one event per line) to this file.
        #[arg(long)]
        journal: Option<PathBuf>,
        /// Record the session (header, commands, hourly checksums) to this new file.
        #[arg(long)]
        session: Option<PathBuf>,
        /// Play scripted commands, written as session `Command(...)` records, one per line.
        #[arg(long)]
        commands: Option<PathBuf>,
        /// Play at this multiple of real time (e.g. 60: one simulated hour per minute).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        pace: Option<u32>,
        /// Sign the recorded session (--session) with this private key: the header, every
        /// checkpoint and the end.
        #[arg(long, value_name = "KEY", requires = "session")]
        sign: Option<PathBuf>,
    },
    /// Replay a recorded session headless, verifying every checksum.
    Replay {
        /// Session file.
        session: PathBuf,
        /// Write the replayed journal (JSON Lines) to this file.
        #[arg(long)]
        journal: Option<PathBuf>,
        /// The scenario to use instead of the recorded path (its content must match).
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// Refuse the session unless its signatures verify with this public key.
        #[arg(long, value_name = "PUBKEY")]
        verify: Option<PathBuf>,
    },
    /// Continue a session that was cut off (killed process) to the end of the exercise.
    Resume {
        /// Session file; records are appended to it.
        session: PathBuf,
        #[arg(long)]
        journal: Option<PathBuf>,
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// Give scripted commands on the way (session `Command(...)` records, one per
        /// line), e.g. to play a what-if branch differently from its branch time.
        #[arg(long)]
        commands: Option<PathBuf>,
        /// Sign on with this private key, the one that signed the session (a signed
        /// session is not continued without it).
        #[arg(long, value_name = "KEY")]
        sign: Option<PathBuf>,
        /// Refuse the session unless its signatures verify with this public key.
        #[arg(long, value_name = "PUBKEY")]
        verify: Option<PathBuf>,
    },
    /// Serve the exercise to trainees' browsers: one join link per role, pages that
    /// update by themselves, every intent recorded `by` its role. Resumes a SESSION in
    /// place (the same links work).
    Serve {
        /// Scenario file (.ron) for a new exercise, or a recorded session to go on with.
        file: PathBuf,
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Record the new exercise here (default: sessions/SCENARIO-seedN.ron).
        #[arg(long)]
        session: Option<PathBuf>,
        /// Address to listen on: this machine only unless you choose the LAN's address
        /// (beyond loopback the server encrypts, with TLS).
        #[arg(long, default_value = "127.0.0.1:8480")]
        bind: std::net::SocketAddr,
        /// The address join links advertise (e.g. https://10.0.0.5:8480), when trainees
        /// reach this machine by another name than --bind.
        #[arg(long, value_name = "URL")]
        public_url: Option<String>,
        /// The organisation's certificate chain (PEM), with --tls-key; without them a
        /// self-signed certificate is made and kept beside the session.
        #[arg(long, value_name = "PEM")]
        tls_cert: Option<PathBuf>,
        /// The private key of --tls-cert (PEM; readable by its owner only).
        #[arg(long, value_name = "PEM")]
        tls_key: Option<PathBuf>,
        /// Encrypt on loopback too (to try the room's setup on one machine).
        #[arg(long)]
        tls: bool,
        /// Serve plain HTTP beyond loopback; every page then says in red that it is
        /// unencrypted.
        #[arg(long)]
        insecure_http: bool,
        /// A seat for an evaluator (reads what the facilitator sees; writes observations
        /// and P/S/M/U ratings), by the name their notes are recorded under. Repeatable.
        #[arg(long, value_name = "NAME")]
        evaluator: Vec<String>,
        /// A seat for a white-cell controller (an evaluator who may also message and
        /// answer trainees), by name. Repeatable.
        #[arg(long, value_name = "NAME")]
        controller: Vec<String>,
        /// Simulated minutes per wall minute (default 60; a resumed session keeps the
        /// speed it had).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        pace: Option<u32>,
        /// Start with the clock paused: trainees join, then you type `play`.
        #[arg(long)]
        paused: bool,
        /// Sign the recorded session with this private key.
        #[arg(long, value_name = "KEY")]
        sign: Option<PathBuf>,
    },
    /// Write the after-action report (HSEEP AAR/IP) of a session: FILE.html or FILE.md.
    Report {
        /// Session file.
        session: PathBuf,
        /// Output file; the format follows the extension: .html (self-contained) or .md.
        #[arg(short, long)]
        output: PathBuf,
        /// The report's own TLP 2.0 marking: CLEAR, GREEN, AMBER, AMBER+STRICT or RED.
        #[arg(long, default_value = "AMBER", value_parser = report::parse_tlp)]
        tlp: Tlp,
        /// Place the session among N unguided runs (seeds 0..N, no commands).
        #[arg(long, value_name = "N", value_parser = report::parse_baseline)]
        baseline: Option<u32>,
        /// Set the session beside this parent session (automatic for a branch).
        #[arg(long, value_name = "PARENT")]
        compare: Option<PathBuf>,
        /// The scenario to use instead of the recorded path (its content must match).
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// Refuse the session unless its signatures verify with this public key; the report
        /// says by which key and up to which minute.
        #[arg(long, value_name = "PUBKEY")]
        verify: Option<PathBuf>,
    },
    /// Export what was known at a moment of a session, as exercise data, for MISP, a STIX
    /// 2.1 consumer or the ATT&CK Navigator.
    Export {
        /// Session file.
        session: PathBuf,
        /// misp (a MISP event), stix (a STIX 2.1 bundle) or navigator (an ATT&CK Navigator
        /// layer).
        #[arg(long = "as", value_name = "FORMAT", value_parser = crate::export::Format::parse)]
        format: crate::export::Format,
        /// Export only what this role's actor knew, under the markings it held it.
        #[arg(long)]
        role: Option<String>,
        /// The moment exported, e.g. "36h" (default: the end of the recording).
        #[arg(long, value_parser = parse_duration)]
        at: Option<Duration>,
        /// Output file (.json).
        #[arg(short, long)]
        output: PathBuf,
        /// The scenario to use instead of the recorded path (its content must match).
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// Refuse the session unless its signatures verify with this public key.
        #[arg(long, value_name = "PUBKEY")]
        verify: Option<PathBuf>,
    },
    /// Start a what-if branch: a new session with the parent's commands before --at.
    Branch {
        /// The parent session file.
        session: PathBuf,
        /// Branch time, e.g. "20h" or "1d 6h": the parent's commands before it are kept.
        #[arg(long, value_parser = parse_duration)]
        at: Duration,
        /// The new session file.
        #[arg(short, long)]
        output: PathBuf,
        /// Keep the parent's seed, so the branch shares its history up to --at exactly.
        /// Without it the branch gets a new seed: the same commands with other luck.
        #[arg(long)]
        seed_keep: bool,
        /// The scenario to use instead of the recorded path (its content must match).
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// Sign the branch with this private key (whoever signed the parent).
        #[arg(long, value_name = "KEY")]
        sign: Option<PathBuf>,
    },
    /// Add hot-wash answers (a RON list of `Answer(participant, role, question, answer)`)
    /// to a session, for its after-action report.
    Feedback {
        /// Session file; the answers are appended to it.
        session: PathBuf,
        /// The answers file.
        #[arg(long)]
        file: PathBuf,
        /// Sign the answers with this private key, the one that signed the session; without
        /// it they stay unsigned and the report marks them so.
        #[arg(long, value_name = "KEY")]
        sign: Option<PathBuf>,
    },
    /// Write a new ed25519 key pair for signing sessions: NAME.pem (private, readable by
    /// its owner only) and NAME.pub.pem (public, to hand out).
    Keygen {
        /// NAME of the key files.
        #[arg(short, long, value_name = "NAME")]
        output: PathBuf,
    },
    /// Play many seeds in parallel: objective hit rates, key times, and a procedure
    /// variant compared with the baseline on the same seeds.
    Sweep {
        /// Scenario file (.ron).
        file: PathBuf,
        /// Number of seeds.
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
        seeds: u64,
        /// First seed (seeds S..S+N-1).
        #[arg(long, default_value_t = 0)]
        seed_base: u64,
        /// Compare a procedure variant with the baseline: SOP=VARIANT (repeatable).
        #[arg(long = "variant")]
        variants: Vec<String>,
        /// Worker threads (default: one per core).
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1024))]
        threads: Option<u64>,
        /// Run only shard K of M and write per-seed results, to merge with `merge-sweeps`;
        /// `auto` reads K and M from a Slurm job array (SLURM_ARRAY_TASK_*) or a
        /// Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with --shards).
        #[arg(long, value_name = "K/M|auto", value_parser = sweep::parse_shard)]
        shard: Option<sweep::ShardChoice>,
        /// With --shard auto under Kubernetes: how many shards (the Job's completions).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        shards: Option<u64>,
        /// Judge an objective's hit rate, e.g. "obj-3 >= 90%" (repeatable): exit 3 unless
        /// its 95% interval shows it holds. With --variant, the variant is judged.
        #[arg(long = "expect", value_name = "ID >= PERCENT%")]
        expect: Vec<String>,
        /// Print one JSON object instead of tables.
        #[arg(long)]
        json: bool,
        /// Write to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Fire the scenario's optional injects by their own schedule or trigger, as if
        /// they were not optional (a sweep leaves them out otherwise: nobody fires them).
        #[arg(long)]
        with_optional: bool,
    },
    /// Combine shard files into the output one sweep would give.
    MergeSweeps {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Play this many seeds of each shard again and refuse a shard whose figures differ
        /// (needs --scenario).
        #[arg(long, default_value_t = 0)]
        recheck: usize,
        /// The scenario the shards were swept with, for --recheck.
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// Judge an objective's hit rate on the merged sweep, as `sweep --expect` does.
        #[arg(long = "expect", value_name = "ID >= PERCENT%")]
        expect: Vec<String>,
    },
    /// Write a scenario's injects as an HSEEP MSEL spreadsheet (.xlsx or .csv), for
    /// planning meetings; `msel import` brings an edited sheet back.
    #[command(args_conflicts_with_subcommands = true)]
    Msel {
        #[command(subcommand)]
        import: Option<MselImport>,
        /// Scenario file (.ron).
        file: Option<PathBuf>,
        /// A recorded session of it: adds each inject's status and actual time.
        #[arg(long)]
        session: Option<PathBuf>,
        /// Output file: .xlsx (a workbook) or .csv.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Write a synthetic scenario of any size, for stress tests and benchmarks.
    Generate {
        /// Number of organisations.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        entities: u32,
        /// Length of the exercise in days.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
        days: u32,
        /// Seed of the generator.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Also this many organisations the story never reaches, in observer countries
        /// outside the CSIRTs network: to measure that a run costs what happens in it.
        /// Objectives on a whole sector count them too.
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=1_000_000))]
        idle: u32,
        /// Output file (.ron).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Open the facilitator's desktop app (the default when a display exists).
    Gui {
        /// Scenario file to open on the start screen.
        file: Option<PathBuf>,
        /// Fill the start screen's signing key: new and resumed sessions are signed with it.
        #[arg(long, value_name = "KEY")]
        sign: Option<PathBuf>,
        /// Fill the start screen's public key: a session is resumed or reviewed only if its
        /// signatures verify with it.
        #[arg(long, value_name = "PUBKEY")]
        verify: Option<PathBuf>,
    },
}

/// `tabletop msel import`.
#[derive(Subcommand, Debug)]
enum MselImport {
    /// Merge an edited MSEL sheet (.xlsx or .csv) into a scenario's injects by inject id,
    /// leaving the rest of the file as it is; nothing is written unless every cell is right.
    Import {
        /// The sheet (.xlsx or .csv).
        sheet: PathBuf,
        /// The scenario whose injects it updates.
        #[arg(long)]
        into: PathBuf,
        /// The new scenario file (never the one given to --into).
        #[arg(short, long)]
        output: PathBuf,
    },
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    Duration::parse(text)
}

/// How a command failed, and so which exit code it gets.
#[derive(Debug)]
pub enum Failure {
    /// The input file is wrong: exit 1. The message is already complete.
    BadInput(String),
    /// The command line is wrong: exit 2.
    Usage(String),
    /// The command did its work, but an expectation failed or was inconclusive: exit 3.
    Unmet(String),
}

impl Failure {
    fn exit(&self) -> ExitCode {
        match self {
            Self::BadInput(message) => {
                eprintln!("{message}");
                ExitCode::from(1)
            }
            Self::Usage(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
            Self::Unmet(message) => {
                eprintln!("{message}");
                ExitCode::from(3)
            }
        }
    }
}

/// Whether a graphical display is there to open a window on.
fn display_available() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

/// `tabletop gui [FILE]`. Without a display, a named scenario is still checked first, so
/// a broken file is reported as one (with its diagnostics) rather than as a missing window.
fn gui(
    file: Option<PathBuf>,
    sign: Option<PathBuf>,
    verify: Option<PathBuf>,
) -> Result<(), Failure> {
    // Wrong key files are usage errors here, not a line on the start screen later.
    signing::signer(sign.as_deref())?;
    signing::public_key(verify.as_deref())?;
    if !display_available() {
        if let Some(path) = &file {
            crate::scenario::load_path(path).map_err(|e| Failure::BadInput(e.to_string()))?;
        }
        return Err(Failure::BadInput(
            "no display to open the console's window on (DISPLAY and WAYLAND_DISPLAY are unset); play headless with `tabletop run FILE`".into(),
        ));
    }
    crate::gui::run(crate::gui::AppOptions {
        file,
        sign_key: sign,
        verify_key: verify,
        ..crate::gui::AppOptions::default()
    })
    .map_err(Failure::BadInput)
}

/// `tabletop` alone: the desktop app where a display exists, else usage and exit 2.
fn no_command() -> ExitCode {
    if display_available() {
        return match crate::gui::run(crate::gui::AppOptions::default()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => Failure::BadInput(message).exit(),
        };
    }
    let mut command = <Cli as clap::CommandFactory>::command();
    eprintln!("{}", command.render_usage());
    eprintln!(
        "no display: give a command (see `tabletop --help`), or run `tabletop gui` where a display exists"
    );
    ExitCode::from(2)
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version go to stdout with exit 0; usage errors exit 2.
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    if let Some(limit) = cli.max_file_size {
        crate::files::set_max_file_bytes(limit);
    }
    let Some(command) = cli.command else {
        return no_command();
    };
    let result = match command {
        Commands::Validate { files } => validate::validate(&files),
        Commands::Run {
            file,
            seed,
            until,
            journal,
            session,
            commands,
            pace,
            sign,
        } => run::run(&run::RunOptions {
            file: &file,
            seed,
            until,
            journal: journal.as_deref(),
            session: session.as_deref(),
            commands: commands.as_deref(),
            pace,
            sign: sign.as_deref(),
        }),
        Commands::Sweep {
            file,
            seeds,
            seed_base,
            variants,
            threads,
            shard,
            shards,
            expect,
            json,
            output,
            with_optional,
        } => sweep::sweep(&sweep::SweepOptions {
            file: &file,
            seeds,
            seed_base,
            variants: &variants,
            threads: threads.map(|t| usize::try_from(t).unwrap_or(1)),
            shard,
            shards,
            expect: &expect,
            json,
            output: output.as_deref(),
            with_optional,
        }),
        Commands::Serve {
            file,
            seed,
            session,
            bind,
            public_url,
            tls_cert,
            tls_key,
            tls,
            insecure_http,
            evaluator,
            controller,
            pace,
            paused,
            sign,
        } => serve::serve(&serve::ServeOptions {
            file: &file,
            seed,
            session: session.as_deref(),
            listen: crate::serve::Asked {
                bind: Some(bind),
                public_url: public_url.as_deref(),
                tls_cert: tls_cert.as_deref(),
                tls_key: tls_key.as_deref(),
                insecure_http,
                tls,
            },
            evaluators: &evaluator,
            controllers: &controller,
            pace,
            paused,
            sign: sign.as_deref(),
        }),
        Commands::MergeSweeps {
            files,
            json,
            output,
            recheck,
            scenario,
            expect,
        } => sweep::merge(&sweep::MergeOptions {
            files: &files,
            json,
            output: output.as_deref(),
            recheck,
            scenario: scenario.as_deref(),
            expect: &expect,
        }),
        Commands::Replay {
            session,
            journal,
            scenario,
            verify,
        } => replay::replay(
            &session,
            journal.as_deref(),
            scenario.as_deref(),
            verify.as_deref(),
        ),
        Commands::Resume {
            session,
            journal,
            scenario,
            commands,
            sign,
            verify,
        } => replay::resume(&replay::ResumeOptions {
            session: &session,
            journal: journal.as_deref(),
            scenario: scenario.as_deref(),
            commands: commands.as_deref(),
            sign: sign.as_deref(),
            verify: verify.as_deref(),
        }),
        Commands::Report {
            session,
            output,
            tlp,
            baseline,
            compare,
            scenario,
            verify,
        } => report::report(&report::ReportOptions {
            session: &session,
            output: &output,
            tlp,
            baseline,
            compare: compare.as_deref(),
            scenario: scenario.as_deref(),
            verify: verify.as_deref(),
        }),
        Commands::Export {
            session,
            format,
            role,
            at,
            output,
            scenario,
            verify,
        } => export::export(&export::ExportOptions {
            session: &session,
            format,
            role: role.as_deref(),
            at,
            output: &output,
            scenario: scenario.as_deref(),
            verify: verify.as_deref(),
        }),
        Commands::Branch {
            session,
            at,
            output,
            seed_keep,
            scenario,
            sign,
        } => branch::branch(&branch::BranchOptions {
            session: &session,
            at,
            output: &output,
            keep_seed: seed_keep,
            scenario: scenario.as_deref(),
            sign: sign.as_deref(),
        }),
        Commands::Feedback {
            session,
            file,
            sign,
        } => feedback::feedback(&session, &file, sign.as_deref()),
        Commands::Keygen { output } => signing::keygen(&output),
        Commands::Msel {
            import: Some(MselImport::Import {
                sheet,
                into,
                output,
            }),
            ..
        } => msel::import(&sheet, &into, &output),
        Commands::Msel {
            import: None,
            file,
            session,
            output,
        } => match (file, output) {
            (Some(file), Some(output)) => msel::msel(&file, session.as_deref(), &output),
            _ => Err(Failure::Usage(
                "msel needs a scenario and -o FILE.xlsx|FILE.csv (or: msel import SHEET --into FILE.ron -o NEW.ron)".into(),
            )),
        },
        Commands::Generate {
            entities,
            days,
            seed,
            idle,
            output,
        } => generate::generate(
            &GenerateOptions {
                entities,
                days,
                seed,
                idle,
            },
            &output,
        ),
        Commands::Gui { file, sign, verify } => gui(file, sign, verify),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.exit(),
    }
}
