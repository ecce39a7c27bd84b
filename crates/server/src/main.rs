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
