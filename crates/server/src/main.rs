// glibc malloc showed up at a fifth of the CPU of a large export (many small rows handed between
// threads); mimalloc keeps per-thread free lists and does not stall on consolidation.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match undersigned::main().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("undersigned: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
