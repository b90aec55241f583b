//! The `jixiao` command: a thin shell over the library. Argument parsing, files,
//! rendering and exit codes live in [`cli`]; scoring lives in the library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
