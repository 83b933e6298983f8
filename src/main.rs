//! The `tabletop` binary: parse arguments, call the library, turn errors into exit codes.

fn main() -> std::process::ExitCode {
    tabletop::cli::main()
}
